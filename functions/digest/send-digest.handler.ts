import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { systemClock } from '../core/clock.ts';
import { configFields, loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { SesMailer, sesClient } from '../core/mail/ses-mailer.ts';
import { scheduledEvent } from '../core/scheduled-event.ts';
import { tokenSigner } from '../identity/token-signer.ts';
import { sendDigest } from './digest.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoDigestLog } from './dynamo-digest-log.ts';
import { DynamoLifecycleStore } from '../waitlist/dynamo-lifecycle-store.ts';
import { DynamoProgrammeStore } from '../programme/dynamo-programme-store.ts';
import { DynamoStats } from '../core/store/activity-counters.ts';
import { hashEmail } from '../core/store/keys.ts';
import { meteredDocumentClient } from '../core/store/capacity-meter.ts';

const config = loadConfig(
  z.object({
    TABLE_NAME: configFields.TABLE_NAME,
    PUBLIC_URL: configFields.PUBLIC_URL,
    MAIL_FROM: configFields.MAIL_FROM,
    CONFIGURATION_SET: configFields.CONFIGURATION_SET,
    TOKEN_SECRET_ARN: configFields.TOKEN_SECRET_ARN,
    FORUM_TIME_ZONE: configFields.FORUM_TIME_ZONE,
    ORGANISER_ADDRESSES: configFields.ORGANISER_ADDRESSES,
  }),
);
const logger = createLogger('send-digest');
const log = new DynamoDigestLog(documentClient, config.TABLE_NAME);
const organisers = config.ORGANISER_ADDRESSES.split(',').map((a) => a.trim()).filter(Boolean);

/** The `digest` schedule (08:00 forum time): one digest per day to every organiser who did not opt out. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown) => {
    const { time } = scheduledEvent.parse(event);
    // Every read of this run is metered: the digest's cost must follow the sessions, not the registrations.
    const meter = meteredDocumentClient();
    const stats = new DynamoStats(meter.client, config.TABLE_NAME);
    const tokens = await tokenSigner(config.TOKEN_SECRET_ARN);
    const recipients = [];
    for (const address of organisers) if (!(await log.isOptedOut(address))) recipients.push(address);
    const result = await sendDigest(
      {
        stats,
        sessions: new DynamoProgrammeStore(meter.client, config.TABLE_NAME),
        offers: new DynamoLifecycleStore(meter.client, config.TABLE_NAME),
        log,
        mailer: new SesMailer(sesClient, config.MAIL_FROM, config.CONFIGURATION_SET),
        clock: systemClock,
        organisers: recipients,
        forumTimeZone: config.FORUM_TIME_ZONE,
        publicUrl: config.PUBLIC_URL,
        unsubscribeUrl: (address) =>
          `${config.PUBLIC_URL.replace(/\/$/, '')}/unsubscribe?token=${encodeURIComponent(tokens.sign(`organiser:${hashEmail(address)}`, new Date(Date.parse(time) + 365 * 86_400_000)))}`,
      },
      new Date(time),
    );
    logger.info('digest', { ...result, readUnits: meter.readUnits() });
    return { ...result, readUnits: meter.readUnits() };
  });
