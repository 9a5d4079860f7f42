import { SesEmailBounced, SesEmailComplaint, SesEmailDelivered, sesFeedbackContracts } from '../../events/index.ts';
import type { Clock } from '../core/clock.ts';
import type { ConsumedEvent } from '../core/consumer.ts';
import type { MailRecord } from './mail-log.ts';

/** What every SES event says of its mail: the id, when it was sent, and the tags Convene gave it. */
type MailOfEvent = { messageId: string; sentAt?: string; tags?: Record<string, string[]> };

export type DeliveryEvent =
  | ({ type: 'delivered' } & MailOfEvent)
  | ({ type: 'bounced'; permanent: boolean; recipients: string[] } & MailOfEvent)
  | ({ type: 'complained'; recipients: string[] } & MailOfEvent);

/** An SES event as the consumer receives it (forwarded from the default bus), typed by its contract. */
export type SesEvent = ConsumedEvent<(typeof sesFeedbackContracts)[number]>;

/** The fields of an SES event that Convene acts on. */
export function deliveryEventOf(event: SesEvent): DeliveryEvent {
  const { mail } = event.detail;
  const mailOf = {
    messageId: mail.messageId,
    ...(mail.timestamp ? { sentAt: mail.timestamp } : {}),
    ...(mail.tags ? { tags: mail.tags } : {}),
  };
  switch (event.detailType) {
    case SesEmailDelivered.detailType:
      return { type: 'delivered', ...mailOf };
    case SesEmailBounced.detailType: {
      const { bounce } = event.detail;
      return { type: 'bounced', ...mailOf, permanent: bounce.bounceType === 'Permanent', recipients: bounce.bouncedRecipients.map((r) => r.emailAddress) };
    }
    case SesEmailComplaint.detailType:
      return { type: 'complained', ...mailOf, recipients: event.detail.complaint.complainedRecipients.map((r) => r.emailAddress) };
  }
}

export type DeliveryDeps = {
  mailLog: {
    get(messageId: string): Promise<MailRecord | undefined>;
    /** Gives a bulk mail its own record (as sent); false if it had one already. */
    ensure(record: MailRecord): Promise<boolean>;
    setStatus(messageId: string, status: MailRecord['status']): Promise<boolean>;
  };
  participants: { suppress(participantId: string, reason: 'bounce' | 'complaint'): Promise<boolean> };
  stats: { count(at: Date, counters: Record<string, number>): Promise<void> };
  clock: Clock;
};

/**
 * The record a bulk mail (notice, reminder) gets on its first event, from the tags fanOut gave it: a bulk
 * send is logged per call, not per message, so its message has no record of its own until SES reports.
 */
function bulkRecordFromTags(event: DeliveryEvent): MailRecord | undefined {
  const tag = (name: string) => event.tags?.[name]?.[0];
  const participantId = tag('participant');
  const kind = tag('kind');
  if (!participantId || !kind || !event.sentAt) return undefined;
  const sessionId = tag('session');
  return { messageId: event.messageId, participantId, kind, ...(sessionId ? { sessionId } : {}), sentAt: new Date(event.sentAt).toISOString(), status: 'sent' };
}

/**
 * Applies one SES feedback event: the mail's delivery status is recorded; a permanent bounce or a
 * complaint suppresses the participant's address, so no more mail of any kind goes to it. Counting is
 * tied to the status change, so a repeated event counts once. Mail Convene did not send is ignored.
 */
export async function recordDelivery(deps: DeliveryDeps, event: DeliveryEvent): Promise<{ known: boolean; changed: boolean; suppressed: boolean }> {
  let record = await deps.mailLog.get(event.messageId);
  if (!record) {
    const bulk = bulkRecordFromTags(event);
    if (!bulk) return { known: false, changed: false, suppressed: false };
    // A concurrent event for the same message may create it first: then read what that one left.
    record = (await deps.mailLog.ensure(bulk)) ? bulk : ((await deps.mailLog.get(event.messageId)) ?? bulk);
  }
  const status: MailRecord['status'] = event.type === 'delivered' ? 'delivered' : event.type === 'bounced' ? 'bounced' : 'complained';
  // A delivery reported after a complaint must not hide the complaint.
  if (status === 'delivered' && (record.status === 'bounced' || record.status === 'complained')) return { known: true, changed: false, suppressed: false };
  const changed = await deps.mailLog.setStatus(event.messageId, status);
  const suppress = (event.type === 'bounced' && event.permanent) || event.type === 'complained';
  const suppressed = suppress ? await deps.participants.suppress(record.participantId, event.type === 'complained' ? 'complaint' : 'bounce') : false;
  if (changed) {
    await deps.stats.count(deps.clock.now(), {
      ...(status === 'delivered' ? { 'mail|delivered': 1 } : {}),
      ...(status === 'bounced' ? { 'mail|bounced': 1 } : {}),
      ...(status === 'complained' ? { 'mail|complained': 1 } : {}),
      ...(suppressed ? { 'mail|suppressed': 1 } : {}),
      ...(record.sessionId && status !== 'delivered' ? { [`mail|${status}|${record.sessionId}`]: 1 } : {}),
    });
  }
  return { known: true, changed, suppressed };
}
