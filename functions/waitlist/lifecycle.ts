import {
  RegistrationApproved,
  RegistrationCancelled,
  RegistrationOfferExpired,
  RegistrationOfferMade,
  RegistrationPromoted,
  RegistrationRejected,
  SessionSeatsReleased,
} from '../../events/index.ts';
import type { Clock } from '../core/clock.ts';
import { ConcurrencyConflict, RequestError } from '../core/errors.ts';
import { outboxItem } from '../core/outbox.ts';
import { HELD_COUNTER } from '../core/model.ts';
import { retryLostRaces } from '../core/retry.ts';
import { NoSeatFree, RegistrationChanged, type LifecycleStore, type StoredRegistration, type Transition } from './lifecycle-store.ts';

export type LifecycleDeps = {
  store: LifecycleStore;
  clock: Clock;
};

/** Only promotion makes offers, so only it needs the default claim window (setting OFFER_CLAIM_HOURS). */
export type PromotionDeps = LifecycleDeps & {
  /** Claim window of an offer when the session sets none; 0 confirms the next in line at once. */
  defaultClaimWindowHours: number;
};

const MAX_ATTEMPTS = 10;
const HOLDS_SEAT = new Set(['confirmed', 'offered']);
const ACTIVE = new Set(['confirmed', 'offered', 'waitlisted', 'pending', 'held']);

const withRetries = <T>(work: () => Promise<T>): Promise<T> =>
  retryLostRaces(work, (error) => error instanceof RegistrationChanged || error instanceof ConcurrencyConflict, MAX_ATTEMPTS);

/**
 * Cancels an active registration. A freed seat publishes Session.SeatsReleased, which promotes the
 * waiting list; a waiting-list place simply disappears (promotion follows positions, so gaps never block).
 * Returns the registration as it was, or undefined when there was nothing active to cancel.
 */
export async function cancelRegistration(
  deps: LifecycleDeps,
  participantId: string,
  sessionId: string,
  by: 'participant' | 'organiser' | 'erasure',
): Promise<StoredRegistration | undefined> {
  return withRetries(async () => {
    const registration = await deps.store.getRegistration(sessionId, participantId);
    if (!registration || !ACTIVE.has(registration.status)) return undefined;
    const now = deps.clock.now();
    // A held place (address not confirmed yet) counts as what it is held as; a held seat also leaves seatsHeld.
    const counted = registration.status === 'held' ? registration.heldAs! : registration.status;
    const freesSeat = HOLDS_SEAT.has(counted);
    const counter = freesSeat ? 'seatsTaken' : counted === 'waitlisted' ? 'waitlistCount' : 'pendingCount';
    await deps.store.apply({
      registration,
      to: { status: 'cancelled' },
      counters: { [counter]: -1, ...(registration.status === 'held' ? { [HELD_COUNTER[counted as 'confirmed' | 'waitlisted' | 'pending']]: -1 } : {}) },
      outbox: [
        outboxItem(RegistrationCancelled, { participantId, sessionId, previousStatus: registration.status, by }, now),
        ...(freesSeat ? [outboxItem(SessionSeatsReleased, { sessionId, reason: 'cancellation' }, now)] : []),
      ],
      now,
    });
    return registration;
  });
}

/**
 * Gives every free seat of a session to the waiting list in position order: an offer held for the claim
 * window, or a confirmed seat at once when the window is 0. Safe to run twice or concurrently: each seat is
 * taken with a condition, each registration moves only from `waitlisted`.
 */
export async function promoteWaitlist(deps: PromotionDeps, sessionId: string): Promise<{ offered: number; promoted: number }> {
  const result = { offered: 0, promoted: 0 };
  for (let round = 0; round < 1000; round++) {
    const session = await deps.store.getSession(sessionId);
    if (!session || session.status !== 'scheduled') return result;
    const now = deps.clock.now();
    if (Date.parse(session.startsAt) <= now.getTime()) return result;
    const free = session.capacity - session.seatsTaken;
    if (free <= 0) return result;
    const head = await deps.store.waitlistHead(sessionId, Math.min(free, 25));
    if (head.length === 0) return result;
    const windowHours = session.claimWindowHours ?? deps.defaultClaimWindowHours;
    for (const candidate of head) {
      // The index is eventually consistent: re-read, and skip anyone who has left the list meanwhile.
      const registration = await deps.store.getRegistration(sessionId, candidate.participantId);
      if (registration?.status !== 'waitlisted') continue;
      const direct = windowHours === 0;
      const offerExpiresAt = new Date(Math.min(now.getTime() + windowHours * 3_600_000, Date.parse(session.startsAt))).toISOString();
      const transition: Transition = {
        registration,
        to: direct ? { status: 'confirmed' } : { status: 'offered', offerExpiresAt },
        counters: { seatsTaken: 1, waitlistCount: -1 },
        outbox: [
          direct
            ? outboxItem(RegistrationPromoted, { participantId: registration.participantId, sessionId, via: 'direct' }, now)
            : outboxItem(RegistrationOfferMade, { participantId: registration.participantId, sessionId, offerExpiresAt }, now),
        ],
        now,
      };
      try {
        await deps.store.apply(transition);
        if (direct) result.promoted++;
        else result.offered++;
      } catch (error) {
        if (error instanceof NoSeatFree) return result;
        if (!(error instanceof RegistrationChanged || error instanceof ConcurrencyConflict)) throw error;
      }
    }
  }
  return result;
}

/** Accepts an open offer; refuses (409) one that expired or does not exist. */
export async function acceptOffer(deps: LifecycleDeps, participantId: string, sessionId: string): Promise<void> {
  await withRetries(async () => {
    const registration = await deps.store.getRegistration(sessionId, participantId);
    const now = deps.clock.now();
    if (registration?.status !== 'offered' || !registration.offerExpiresAt || Date.parse(registration.offerExpiresAt) <= now.getTime()) {
      throw new RequestError(409, 'no_open_offer', 'There is no open offer for this session (it may have expired).');
    }
    await deps.store.apply({
      registration,
      to: { status: 'confirmed' },
      counters: {},
      outbox: [outboxItem(RegistrationPromoted, { participantId, sessionId, via: 'offer' }, now)],
      now,
    });
  });
}

/**
 * Ends every offer whose claim window is over (the `offers` schedule): the registrant leaves the list
 * and the seat is released to the next in line. Returns how many offers expired.
 */
export async function expireOffers(deps: LifecycleDeps, now: Date): Promise<number> {
  let expired = 0;
  for (;;) {
    const due = await deps.store.dueOffers(now, 100);
    let progressed = 0;
    for (const candidate of due) {
      // A lost race re-reads: an offer accepted meanwhile is left alone; a transaction conflict is retried.
      const done = await withRetries(async () => {
        const registration = await deps.store.getRegistration(candidate.sessionId, candidate.participantId);
        if (registration?.status !== 'offered' || !registration.offerExpiresAt || Date.parse(registration.offerExpiresAt) > now.getTime()) return false;
        await deps.store.apply({
          registration,
          to: { status: 'expired' },
          counters: { seatsTaken: -1 },
          outbox: [
            outboxItem(RegistrationOfferExpired, { participantId: registration.participantId, sessionId: registration.sessionId }, now),
            outboxItem(SessionSeatsReleased, { sessionId: registration.sessionId, reason: 'offer-expired' }, now),
          ],
          now,
        });
        return true;
      });
      if (done) {
        expired++;
        progressed++;
      }
    }
    if (due.length < 100 || progressed === 0) return expired;
  }
}

/**
 * An organiser's decision on a pending registration. Approval takes a seat when one is free and nobody
 * waits, otherwise the next waiting-list place; rejection frees the pending slot. Throws 404/409 when
 * there is no pending registration.
 */
export async function decidePending(
  deps: LifecycleDeps,
  participantId: string,
  sessionId: string,
  decision: 'approve' | 'reject',
): Promise<{ status: 'confirmed' | 'waitlisted' | 'rejected'; waitlistPosition?: number }> {
  let reserved: number | undefined;
  let full = false;
  return withRetries(async () => {
    const registration = await deps.store.getRegistration(sessionId, participantId);
    if (!registration) throw new RequestError(404, 'not_found', 'No registration for this participant and session.');
    if (registration.status !== 'pending') throw new RequestError(409, 'not_pending', `The registration is ${registration.status}, not pending.`);
    const now = deps.clock.now();
    if (decision === 'reject') {
      await deps.store.apply({
        registration,
        to: { status: 'rejected' },
        counters: { pendingCount: -1 },
        outbox: [outboxItem(RegistrationRejected, { participantId, sessionId }, now)],
        now,
      });
      return { status: 'rejected' as const };
    }
    const session = await deps.store.getSession(sessionId);
    if (!session || session.status !== 'scheduled') throw new RequestError(409, 'session_closed', 'The session was cancelled.');
    if (!full && session.waitlistCount - session.waitlistHeld === 0 && session.seatsTaken < session.capacity) {
      try {
        await deps.store.apply({
          registration,
          to: { status: 'confirmed' },
          counters: { seatsTaken: 1, pendingCount: -1 },
          outbox: [outboxItem(RegistrationApproved, { participantId, sessionId, status: 'confirmed' }, now)],
          now,
        });
        return { status: 'confirmed' as const };
      } catch (error) {
        if (!(error instanceof NoSeatFree)) throw error;
        full = true;
        // NoSeatFree also means the session was cancelled since the read: no waiting-list place then.
        const latest = await deps.store.getSession(sessionId);
        if (!latest || latest.status !== 'scheduled') throw new RequestError(409, 'session_closed', 'The session was cancelled.');
      }
    }
    reserved ??= await deps.store.reserveWaitlistPosition(sessionId);
    await deps.store.apply({
      registration,
      to: { status: 'waitlisted', waitlistPosition: reserved },
      counters: { waitlistCount: 1, pendingCount: -1 },
      outbox: [outboxItem(RegistrationApproved, { participantId, sessionId, status: 'waitlisted', waitlistPosition: reserved }, now)],
      now,
    });
    return { status: 'waitlisted' as const, waitlistPosition: reserved };
  });
}
