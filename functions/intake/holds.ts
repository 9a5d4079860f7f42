import { RegistrationConfirmed, RegistrationHoldExpired, SessionSeatsReleased } from '../../events/index.ts';
import type { Clock } from '../core/clock.ts';
import { ConcurrencyConflict } from '../core/errors.ts';
import type { Participant, Registration, Session } from '../core/model.ts';
import { outboxItem, type OutboxItem } from '../core/outbox.ts';
import { retryLostRaces } from '../core/retry.ts';
import { randomUUID } from 'node:crypto';
import type { SessionOutcome } from './registration-store.ts';

/**
 * Address confirmation (double opt-in). A public-form submission for an address that has not proved it
 * holds its places (`held` registrations, counted in the session's seats, waiting list or approvals)
 * until `holdExpiresAt`, and mails the address a confirm link. Confirming turns the holds into the
 * registrations they stand for and sends the confirmation mail; holds not confirmed in time are released
 * as a cancellation would release them (a freed seat goes to the waiting list).
 */

/** A held registration changed under us (confirmed, expired, erased meanwhile): the caller re-reads. */
export class HoldChanged extends Error {
  constructor(readonly sessionId: string) {
    super(`Hold on ${sessionId} changed concurrently`);
    this.name = 'HoldChanged';
  }
}

/** Everything one confirmation writes, atomically. */
export type ConfirmationPlan = {
  participant: Participant;
  holds: Registration[];
  /** The personal data's expiry (epoch s) the confirmed holds give: the latest of their `dataTtl`. */
  dataTtl: number | undefined;
  outbox: OutboxItem[];
  now: Date;
};

/** The storage port of holds; the DynamoDB adapter conditions every write on the hold being unchanged. */
export interface HoldStore {
  getParticipant(participantId: string): Promise<Participant | undefined>;
  listParticipantRegistrations(participantId: string): Promise<Registration[]>;
  getRegistration(sessionId: string, participantId: string): Promise<Registration | undefined>;
  getSessions(sessionIds: readonly string[]): Promise<Map<string, Session>>;
  /** Held registrations whose hold ended at or before `now`, oldest first. */
  dueHolds(now: Date, limit: number): Promise<Registration[]>;
  /** Throws HoldChanged or ConcurrencyConflict and writes nothing then. */
  commitConfirmation(plan: ConfirmationPlan): Promise<void>;
  /** Releases one hold with its counters and events; throws HoldChanged or ConcurrencyConflict. */
  releaseHold(hold: Registration, outbox: OutboxItem[], now: Date): Promise<void>;
}

export type HoldDeps = { store: HoldStore; clock: Clock };

/**
 * Holds one confirmation writes in one transaction: each is two items (registration, session counters),
 * with the profile, the address index and the events about 65, under DynamoDB's 100. More (three 20-session
 * submissions confirmed from the manage page) go in several transactions, each with its own mail.
 */
const HOLDS_PER_CONFIRMATION = 20;

const MAX_ATTEMPTS = 10;

const withRetries = <T>(work: () => Promise<T>): Promise<T> =>
  retryLostRaces(work, (error) => error instanceof HoldChanged || error instanceof ConcurrencyConflict, MAX_ATTEMPTS);

const isLive = (registration: Registration, now: Date) =>
  registration.status === 'held' && registration.holdExpiresAt !== undefined && Date.parse(registration.holdExpiresAt) > now.getTime();

/** The live holds of a participant: those of one confirm link (`holdId`), or all of them (the manage page). */
export async function liveHolds(deps: HoldDeps, participantId: string, holdId?: string): Promise<Registration[]> {
  const now = deps.clock.now();
  return (await deps.store.listParticipantRegistrations(participantId)).filter(
    (registration) => isLive(registration, now) && (holdId === undefined || registration.holdIds?.has(holdId)),
  );
}

/**
 * Confirms the live holds of one confirm link (or, from the manage page, every live hold): each becomes
 * what it was held as (a seat, a waiting-list place with its position, an approval request), the address
 * counts as proved, and one Registration.Confirmed event sends the confirmation mail with its calendar
 * files. Returns the confirmed outcomes; none when the holds were confirmed already or have expired.
 */
export async function confirmHolds(deps: HoldDeps, participantId: string, holdId?: string): Promise<SessionOutcome[]> {
  const confirmed: SessionOutcome[] = [];
  for (;;) {
    const batch = await withRetries(async () => {
      const participant = await deps.store.getParticipant(participantId);
      if (!participant || participant.erasedAt) return [];
      const now = deps.clock.now();
      const live = await liveHolds(deps, participantId, holdId);
      // A hold on a session cancelled or ended meanwhile is not confirmed (no calendar entry for it): the
      // sweep releases it.
      const sessions = await deps.store.getSessions(live.map((hold) => hold.sessionId));
      const holds = live
        .filter((hold) => {
          const session = sessions.get(hold.sessionId);
          return session?.status === 'scheduled' && Date.parse(session.endsAt) > now.getTime();
        })
        .slice(0, HOLDS_PER_CONFIRMATION);
      if (holds.length === 0) return [];
      const outcomes: SessionOutcome[] = holds.map((hold) => ({
        sessionId: hold.sessionId,
        status: hold.heldAs!,
        ...(hold.heldAs === 'waitlisted' && hold.waitlistPosition ? { waitlistPosition: hold.waitlistPosition } : {}),
      }));
      const ttls = holds.flatMap((hold) => (hold.dataTtl ? [hold.dataTtl] : []));
      await deps.store.commitConfirmation({
        participant,
        holds,
        dataTtl: ttls.length ? Math.max(...ttls) : undefined,
        outbox: [
          outboxItem(RegistrationConfirmed, { participantId, submissionId: randomUUID(), sessions: outcomes }, now),
          // A waiting-list place counted while held may stand before seats freed meanwhile: let promotion look.
          ...holds
            .filter((hold) => hold.heldAs === 'waitlisted')
            .map((hold) => outboxItem(SessionSeatsReleased, { sessionId: hold.sessionId, reason: 'hold-confirmed' }, now)),
        ],
        now,
      });
      return outcomes;
    });
    confirmed.push(...batch);
    if (batch.length < HOLDS_PER_CONFIRMATION) return confirmed;
  }
}

/**
 * Releases every hold whose time ran out by `now` (the `holds` schedule): the place is freed as a
 * cancellation frees it (a seat goes to the waiting list) and Registration.HoldExpired is counted for the
 * digest. No mail: the address never confirmed, so Convene does not write to it again. Returns how many.
 */
export async function expireHolds(deps: HoldDeps, now: Date): Promise<number> {
  let released = 0;
  for (;;) {
    const due = await deps.store.dueHolds(now, 100);
    let progressed = 0;
    for (const candidate of due) {
      const done = await withRetries(async () => {
        const hold = await deps.store.getRegistration(candidate.sessionId, candidate.participantId);
        if (!hold || hold.status !== 'held' || !hold.holdExpiresAt || Date.parse(hold.holdExpiresAt) > now.getTime()) return false;
        await deps.store.releaseHold(hold, releaseEvents(hold, now), now);
        return true;
      });
      if (done) {
        released++;
        progressed++;
      }
    }
    if (due.length < 100 || progressed === 0) return released;
  }
}

/** The events of a released hold: counted as expired; a seat or waiting-list place freed lets promotion look. */
function releaseEvents(hold: Registration, now: Date): OutboxItem[] {
  return [
    outboxItem(RegistrationHoldExpired, { participantId: hold.participantId, sessionId: hold.sessionId, heldAs: hold.heldAs! }, now),
    ...(hold.heldAs !== 'pending' ? [outboxItem(SessionSeatsReleased, { sessionId: hold.sessionId, reason: 'hold-expired' }, now)] : []),
  ];
}
