import { describe, expect, it } from 'vitest';
import { sessionDeliveries } from '../../functions/admin/organiser-actions.ts';
import { cutToBytes } from '../../functions/delivery/dynamo-fanout-progress.ts';
import type { BulkFailure, MailRecord } from '../../functions/delivery/index.ts';

const mail = (participantId: string, kind: string, sentAt: string): MailRecord => ({ messageId: `${participantId}-${kind}-${sentAt}`, participantId, kind, sessionId: 's1', sentAt, status: 'delivered' });
const failure = (participantId: string, kind: string, failedAt: string): BulkFailure => ({ participantId, kind, sessionId: 's1', failedAt, error: 'MESSAGE_REJECTED: …' });

describe('a session’s deliveries', () => {
  it('lists a failure until a later mail of the same kind reaches that participant', async () => {
    const bounced: MailRecord = { ...mail('p4', 'notice', '2027-01-02T08:00:00Z'), status: 'bounced' };
    const mails = [mail('p1', 'notice', '2027-01-02T08:00:00Z'), mail('p2', 'reminder', '2027-01-02T08:00:00Z'), mail('p3', 'notice', '2027-01-01T07:00:00Z'), bounced];
    const failures = [
      failure('p4', 'notice', '2027-01-01T08:00:00Z'), // the later notice bounced: still failed
      failure('p1', 'notice', '2027-01-01T08:00:00Z'), // a later notice reached p1: stale
      failure('p2', 'notice', '2027-01-01T08:00:00Z'), // only a reminder reached p2: still failed
      failure('p3', 'notice', '2027-01-01T08:00:00Z'), // p3's notice came before the failure: still failed
    ];
    const result = await sessionDeliveries({ mails: { forSession: async () => mails, failuresForSession: async () => failures } }, 's1');
    expect(result.failed.map((f) => f.participantId)).toEqual(['p4', 'p2', 'p3']);
    expect(result.counts.failed).toBe(3);
  });
});

describe('an error cut to fit its item', () => {
  it('keeps at most the given bytes and never splits a character', () => {
    expect(cutToBytes('a'.repeat(400), 300)).toHaveLength(300);
    const arabic = 'رُفضت الرسالة'.repeat(40);
    const cut = cutToBytes(arabic, 300);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(300);
    expect(arabic.startsWith(cut)).toBe(true);
    expect(Buffer.byteLength(cutToBytes('😀'.repeat(100), 301))).toBe(300);
    expect(cutToBytes('short', 300)).toBe('short');
  });
});
