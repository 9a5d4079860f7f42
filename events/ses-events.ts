import * as z from 'zod';
import { consumerOf, type EventContract } from './contract.ts';

/**
 * SES publishes sending events to the account's default bus only (source `aws.ses`); a rule there forwards
 * them to the convene bus. Their `detail` is SES's event record; only the fields Convene reads are checked,
 * and the rest is kept (SES adds fields over time).
 */
const mail = z.looseObject({
  messageId: z.string().min(1),
  destination: z.array(z.string()),
  timestamp: z.string().optional(),
  tags: z.record(z.string(), z.array(z.string())).optional(),
});

function defineSesEvent<const DetailType extends string, const Shape extends z.ZodRawShape>(detailType: DetailType, eventType: string, description: string, shape: Shape) {
  const schema = z.looseObject({ eventType: z.literal(eventType), mail, ...shape });
  const contract: EventContract<typeof schema, DetailType> = {
    source: 'aws.ses',
    detailType,
    description,
    schema,
    consume: consumerOf(detailType, schema),
    pattern: (detail) => ({ source: ['aws.ses'], 'detail-type': [detailType], ...(detail ? { detail } : {}) }),
  };
  return contract;
}

export const SesEmailDelivered = defineSesEvent('Email Delivered', 'Delivery', 'SES delivered a mail to the recipient’s server.', {});

export const SesEmailBounced = defineSesEvent('Email Bounced', 'Bounce', 'A mail bounced; a Permanent bounce suppresses the address.', {
  bounce: z.looseObject({
    bounceType: z.string(),
    bouncedRecipients: z.array(z.looseObject({ emailAddress: z.string() })).default([]),
  }),
});

export const SesEmailComplaint = defineSesEvent('Email Complaint Received', 'Complaint', 'A recipient marked a mail as spam; the address is suppressed.', {
  complaint: z.looseObject({ complainedRecipients: z.array(z.looseObject({ emailAddress: z.string() })).default([]) }),
});

export const sesFeedbackContracts = [SesEmailDelivered, SesEmailBounced, SesEmailComplaint] as const;

/**
 * The rule on the default bus that forwards one stage's SES events to its convene bus: SES tags every
 * event of a mail with the configuration set it was sent with (`mail.tags["ses:configuration-set"]`), so
 * staging's bounces never reach production's bus, nor production's staging's.
 */
export const sesForwardPattern = (configurationSet: string) => ({ source: ['aws.ses'], detail: { mail: { tags: { 'ses:configuration-set': [configurationSet] } } } }) as const;
