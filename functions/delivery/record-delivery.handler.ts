import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import * as z from 'zod';
import { SesEmailBounced, SesEmailComplaint, SesEmailDelivered } from '../../events/index.ts';
import { systemClock } from '../core/clock.ts';
import { configFields, loadConfig } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { recordDelivery, type DeliveryEvent } from './record-delivery.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoMailLog } from './dynamo-mail-log.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { DynamoStats } from '../core/store/activity-counters.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME }));
const logger = createLogger('record-delivery');
const deps = {
  mailLog: new DynamoMailLog(documentClient, config.TABLE_NAME),
  participants: new DynamoParticipants(documentClient, config.TABLE_NAME),
  stats: new DynamoStats(documentClient, config.TABLE_NAME),
  clock: systemClock,
};

const envelope = z.object({ 'detail-type': z.string(), detail: z.unknown() });

/** Parses an SES event (forwarded from the default bus) with its contract's schema. */
function parse(event: unknown): DeliveryEvent {
  const { 'detail-type': detailType, detail } = envelope.parse(event);
  const mailOf = (mail: { messageId: string; timestamp?: string | undefined; tags?: Record<string, string[]> | undefined }) => ({
    messageId: mail.messageId,
    ...(mail.timestamp ? { sentAt: mail.timestamp } : {}),
    ...(mail.tags ? { tags: mail.tags } : {}),
  });
  if (detailType === SesEmailDelivered.detailType) return { type: 'delivered', ...mailOf(SesEmailDelivered.schema.parse(detail).mail) };
  if (detailType === SesEmailBounced.detailType) {
    const parsed = SesEmailBounced.schema.parse(detail);
    return { type: 'bounced', ...mailOf(parsed.mail), permanent: parsed.bounce.bounceType === 'Permanent', recipients: parsed.bounce.bouncedRecipients.map((r) => r.emailAddress) };
  }
  if (detailType === SesEmailComplaint.detailType) {
    const parsed = SesEmailComplaint.schema.parse(detail);
    return { type: 'complained', ...mailOf(parsed.mail), recipients: parsed.complaint.complainedRecipients.map((r) => r.emailAddress) };
  }
  throw new Error(`record-delivery does not consume ${detailType}`);
}

/**
 * SES delivery, bounce and complaint events → the mail's status, suppression of the address, counters.
 * Idempotent by construction: the status change is conditional, and counting follows it.
 */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown) => {
    const delivery = parse(event);
    const result = await recordDelivery(deps, delivery);
    logger.info('delivery recorded', { type: delivery.type, messageId: delivery.messageId, ...result });
    return result;
  });
