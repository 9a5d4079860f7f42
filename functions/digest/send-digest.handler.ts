import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { SesMailer, sesClient } from '../core/mail/ses-mailer.ts';
import { scheduledEvent } from '../core/scheduled-event.ts';
import { DynamoStats } from '../core/store/activity-counters.ts';
import { meteredDocumentClient } from '../core/store/capacity-meter.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { tokenSigner } from '../identity/index.ts';
import { DynamoProgrammeStore } from '../programme/index.ts';
import { DynamoLifecycleStore } from '../waitlist/index.ts';
import { organiserUnsubscribeUrl, sendDigest } from './digest.ts';
import { DynamoDigestLog } from './dynamo-digest-log.ts';

const config = configOf('TABLE_NAME', 'PUBLIC_URL', 'MAIL_FROM', 'CONFIGURATION_SET', 'TOKEN_SECRET_ARN', 'FORUM_TIME_ZONE', 'ORGANISER_ADDRESSES', 'MAIL_FROM_NAME');
const logger = createLogger('send-digest');
// Every read goes through one metered client, built once per cold start: each run reports the read units it
// added, and the digest's cost must follow the sessions, not the registrations.
const meter = meteredDocumentClient();
const deps = {
  stats: new DynamoStats(meter.client, config.TABLE_NAME),
  sessions: new DynamoProgrammeStore(meter.client, config.TABLE_NAME),
  offers: new DynamoLifecycleStore(meter.client, config.TABLE_NAME),
  // The digest's own bookkeeping (claim, opt-outs) is not part of the metered cost.
  log: new DynamoDigestLog(documentClient, config.TABLE_NAME),
  mailer: new SesMailer(sesClient, { address: config.MAIL_FROM, name: config.MAIL_FROM_NAME }, config.CONFIGURATION_SET),
  clock: systemClock,
  organisers: config.ORGANISER_ADDRESSES.split(',').map((a) => a.trim()).filter(Boolean),
  forumTimeZone: config.FORUM_TIME_ZONE,
  publicUrl: config.PUBLIC_URL,
};

/** The `digest` schedule (08:00 forum time): one digest per day to every organiser who did not opt out. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown) => {
    const now = new Date(scheduledEvent.parse(event).time);
    const [tokens, unitsBefore] = [await tokenSigner(config.TOKEN_SECRET_ARN), meter.readUnits()];
    const result = await sendDigest({ ...deps, unsubscribeUrl: (address) => organiserUnsubscribeUrl(config.PUBLIC_URL, tokens, address, now) }, now);
    const readUnits = meter.readUnits() - unitsBefore;
    logger.info('digest', { ...result, readUnits });
    return { ...result, readUnits };
  });
