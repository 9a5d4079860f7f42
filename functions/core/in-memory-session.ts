import type { Session } from './model.ts';

/** A stored session for the in-memory fakes: a scheduled 10-seat workshop, counters at 0, unless overridden. */
export function inMemorySession(session: Partial<Session> & Pick<Session, 'sessionId'>, defaults: Partial<Session> = {}): Session {
  return {
    title: { en: session.sessionId },
    kind: 'thematic-workshop',
    startsAt: '2026-12-10T09:00:00.000Z',
    endsAt: '2026-12-10T10:00:00.000Z',
    capacity: 10,
    status: 'scheduled',
    version: 1,
    seatsTaken: 0,
    waitlistCount: 0,
    pendingCount: 0,
    waitlistSeq: 0,
    seatsHeld: 0,
    waitlistHeld: 0,
    pendingHeld: 0,
    ...defaults,
    ...session,
  };
}
