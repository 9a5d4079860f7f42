import { createHash } from 'node:crypto';

/**
 * The single-table layout. Sessions and their registrations share a partition, so a session's fan-out is
 * one Query; GSI1 lists a participant's registrations and mails; the keys-only `programme` index lists the
 * sessions in start order.
 */
export const keys = {
  session: (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'SESSION' }),
  /**
   * A session's waiting-list position counter, an item of its own: it is written by a single update, so it
   * never meets the transactions that keep writing the session item (seat counters) and never conflicts.
   */
  waitlistCounter: (sessionId: string) => ({ pk: `SESSION#${sessionId}`, sk: 'WAITLIST_SEQ' }),
  registration: (sessionId: string, participantId: string) => ({ pk: `SESSION#${sessionId}`, sk: `REG#${participantId}` }),
  participant: (participantId: string) => ({ pk: `PARTICIPANT#${participantId}`, sk: 'PROFILE' }),
  /** Emails are looked up by a hash, so no address appears in a key, a stream record's keys or a metric. */
  email: (email: string) => ({ pk: `EMAIL#${hashEmail(email)}`, sk: 'EMAIL' }),
  submission: (submissionKey: string) => ({ pk: `SUBMISSION#${submissionKey}`, sk: 'SUBMISSION' }),
  outbox: (eventId: string) => ({ pk: `OUTBOX#${eventId}`, sk: 'OUTBOX' }),
  /** Recipients the account's bulk senders reserved in one half-second slot (their shared send rate). */
  sendRateSlot: (slotMs: number, index: number) => ({ pk: 'SENDRATE', sk: `SLOT#${slotMs}#${index}` }),
  /** The lease that keeps one run of a job at a time (core/store/lease.ts). */
  lease: (job: string) => ({ pk: `LEASE#${job}`, sk: 'LEASE' }),
  /** The forum as a whole: the end of its last session (personal data expires from it). */
  forum: { pk: 'FORUM', sk: 'FORUM' },
} as const;

export const gsi1 = {
  name: 'gsi1',
  participantRegistrations: (participantId: string) => `PARTICIPANT#${participantId}`,
} as const;

/**
 * The programme in start order (topology index `programme`, keys only): a session's counters change with
 * every registration and never reach this index, so no single index key takes every seat counter's write.
 */
export const programmeIndex = {
  name: 'programme',
  partition: { programmePk: 'PROGRAMME' },
  sortKey: (startsAt: string, sessionId: string) => `${new Date(startsAt).toISOString()}#${sessionId}`,
} as const;

export const OUTBOX_PREFIX = 'OUTBOX#';

export function hashEmail(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
