import type { Clock } from '../clock.ts';
import type { MailRecord } from './mail-log.ts';

export type DeliveryEvent =
  | { type: 'delivered'; messageId: string }
  | { type: 'bounced'; messageId: string; permanent: boolean; recipients: string[] }
  | { type: 'complained'; messageId: string; recipients: string[] };

export type DeliveryDeps = {
  mailLog: { get(messageId: string): Promise<MailRecord | undefined>; setStatus(messageId: string, status: MailRecord['status']): Promise<boolean> };
  participants: { suppress(participantId: string, reason: 'bounce' | 'complaint'): Promise<boolean> };
  stats: { count(at: Date, counters: Record<string, number>): Promise<void> };
  clock: Clock;
};

/**
 * Applies one SES feedback event: the mail's delivery status is recorded; a permanent bounce or a
 * complaint suppresses the participant's address, so no more mail of any kind goes to it. Counting is
 * tied to the status change, so a repeated event counts once. Mail Convene did not log is ignored.
 */
export async function recordDelivery(deps: DeliveryDeps, event: DeliveryEvent): Promise<{ known: boolean; changed: boolean; suppressed: boolean }> {
  const record = await deps.mailLog.get(event.messageId);
  if (!record) return { known: false, changed: false, suppressed: false };
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
