import { inMemorySession } from '../core/in-memory-session.ts';
import { ConcurrencyConflict } from '../core/errors.ts';
import type { Session } from '../core/model.ts';
import type { OutboxItem } from '../core/outbox.ts';
import { NoSeatFree, RegistrationChanged, type LifecycleStore, type StoredRegistration, type Transition } from './lifecycle-store.ts';

/** What a concurrent request does between a use case's read and its write (runs inside `apply`). */
export type Interleaving = (transition: Transition) => void | Promise<void>;

/** One event as a test reads it back from the outbox: its detail-type and parsed detail. */
export type RecordedEvent = { detailType: string; detail: Record<string, unknown> };

const registrationKey = (sessionId: string, participantId: string) => `${sessionId}|${participantId}`;

/**
 * An in-memory fake of the lifecycle store for domain unit tests. `apply` enforces what the DynamoDB
 * adapter's transaction does, all-or-nothing: the registration moves only from the status it was read in
 * (else RegistrationChanged), a seat is taken only in a scheduled session with room (else NoSeatFree, the
 * registration condition being reported first, as the first failed item of the transaction is), counters
 * are added and never conditioned otherwise, the outbox items are kept. The waiting-list and offers
 * "indexes" are derived as the sparse GSIs are (waitlisted with a position; offered with an expiry).
 *
 * Lost races are reached on purpose: `interleave` runs a concurrent request (any use case, or a direct
 * change of state) inside the next matching `apply`, after the caller's reads and before the conditions
 * are checked; `conflictsToInject` makes the next commits lose a TransactionConflict.
 *
 * `sessions` may be shared with the programme fake: both adapters write the same session item.
 */
export class InMemoryLifecycleStore implements LifecycleStore {
  readonly registrations = new Map<string, StoredRegistration>();
  readonly outbox: OutboxItem[] = [];
  /** Transitions committed, in order. */
  readonly applied: Transition[] = [];
  /** The next N `apply` calls throw ConcurrencyConflict (TransactionConflict) and write nothing. */
  conflictsToInject = 0;
  private readonly interleavings: Array<{ when: (transition: Transition) => boolean; action: Interleaving }> = [];

  constructor(readonly sessions: Map<string, Session> = new Map()) {}

  addSession(session: Partial<Session> & Pick<Session, 'sessionId'>): Session {
    const stored = inMemorySession(session);
    this.sessions.set(stored.sessionId, stored);
    return stored;
  }

  /**
   * Seeds a registration as a committed submission (or an earlier transition) left it, counting it on the
   * session as the adapters do: a seat for confirmed and offered, a place for waitlisted, a pending slot.
   * A waitlisted registration without a position takes the next one.
   */
  addRegistration(registration: Partial<StoredRegistration> & Pick<StoredRegistration, 'sessionId' | 'participantId' | 'status'>): StoredRegistration {
    const session = this.sessions.get(registration.sessionId);
    if (!session) throw new Error(`fake: no session ${registration.sessionId}`);
    const stored: StoredRegistration = { registeredAt: '2026-11-01T08:00:00.000Z', updatedAt: '2026-11-01T08:00:00.000Z', ...registration };
    if (stored.status === 'waitlisted' && stored.waitlistPosition === undefined) stored.waitlistPosition = ++session.waitlistSeq;
    if (stored.waitlistPosition !== undefined) session.waitlistSeq = Math.max(session.waitlistSeq, stored.waitlistPosition);
    if (stored.status === 'confirmed' || stored.status === 'offered') session.seatsTaken++;
    else if (stored.status === 'waitlisted') session.waitlistCount++;
    else if (stored.status === 'pending') session.pendingCount++;
    this.registrations.set(registrationKey(stored.sessionId, stored.participantId), stored);
    return structuredClone(stored);
  }

  /** The stored registration (not a copy), for assertions. */
  registration(sessionId: string, participantId: string): StoredRegistration | undefined {
    return this.registrations.get(registrationKey(sessionId, participantId));
  }

  /**
   * Runs `action` once, inside the next `apply` for which `when` holds (any, by default): after the use
   * case read what it read, before the write's conditions are checked. Queued actions run in order; an
   * `apply` made by the action itself does not trigger it again.
   */
  interleave(action: Interleaving, when: (transition: Transition) => boolean = () => true): void {
    this.interleavings.push({ when, action });
  }

  /** The events written to the outbox, in order, optionally only those of one detail-type. */
  events(detailType?: string): RecordedEvent[] {
    return this.outbox
      .filter((item) => detailType === undefined || item.detailType === detailType)
      .map((item) => ({ detailType: item.detailType, detail: JSON.parse(item.detail) as Record<string, unknown> }));
  }

  /** The counters a session should hold, recounted from its registrations. */
  recount(sessionId: string): Pick<Session, 'seatsTaken' | 'waitlistCount' | 'pendingCount'> {
    const all = [...this.registrations.values()].filter((r) => r.sessionId === sessionId);
    const count = (...statuses: string[]) => all.filter((r) => statuses.includes(r.status)).length;
    return { seatsTaken: count('confirmed', 'offered'), waitlistCount: count('waitlisted'), pendingCount: count('pending') };
  }

  async getSession(sessionId: string): Promise<Session | undefined> {
    const session = this.sessions.get(sessionId);
    return session && structuredClone(session);
  }

  async getRegistration(sessionId: string, participantId: string): Promise<StoredRegistration | undefined> {
    const registration = this.registration(sessionId, participantId);
    return registration && structuredClone(registration);
  }

  async listParticipantRegistrations(participantId: string): Promise<StoredRegistration[]> {
    return [...this.registrations.values()].filter((r) => r.participantId === participantId).map((r) => structuredClone(r));
  }

  /** Every registration of a session (any status), in participant-id order. */
  async listSessionRegistrations(sessionId: string): Promise<StoredRegistration[]> {
    return [...this.registrations.values()]
      .filter((r) => r.sessionId === sessionId)
      .sort((a, b) => (a.participantId < b.participantId ? -1 : a.participantId > b.participantId ? 1 : 0))
      .map((r) => structuredClone(r));
  }

  async *sessionRegistrationPages(sessionId: string, pageSize = 1000): AsyncGenerator<StoredRegistration[]> {
    const all = await this.listSessionRegistrations(sessionId);
    for (let start = 0; start < all.length; start += pageSize) yield all.slice(start, start + pageSize);
  }

  /** The waiting-list index (GSI2): waitlisted registrations with a position, in position order. */
  async waitlistHead(sessionId: string, limit: number): Promise<StoredRegistration[]> {
    return [...this.registrations.values()]
      .filter((r) => r.sessionId === sessionId && r.status === 'waitlisted' && r.waitlistPosition)
      .sort((a, b) => a.waitlistPosition! - b.waitlistPosition!)
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }

  /** The offers index (GSI3), sorted and bounded by `offerExpiresAt#sessionId#participantId` as the adapter queries it. */
  async dueOffers(now: Date, limit: number): Promise<StoredRegistration[]> {
    const sortKey = (r: StoredRegistration) => `${r.offerExpiresAt}#${r.sessionId}#${r.participantId}`;
    const bound = `${now.toISOString()}~`;
    return [...this.registrations.values()]
      .filter((r) => r.status === 'offered' && r.offerExpiresAt && sortKey(r) <= bound)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
      .slice(0, limit)
      .map((r) => structuredClone(r));
  }

  /** The atomic `waitlistSeq` counter; fails, as the conditioned update does, for an unknown session. */
  async reserveWaitlistPosition(sessionId: string): Promise<number> {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`ConditionalCheckFailed: no session ${sessionId}`);
    session.waitlistSeq += 1;
    return session.waitlistSeq;
  }

  async apply(transition: Transition): Promise<void> {
    const { registration, to, counters, now } = transition;
    if (registration.status === 'offered' && to.status === 'offered') throw new Error('an offer cannot be re-offered');
    const index = this.interleavings.findIndex((entry) => entry.when(transition));
    if (index >= 0) {
      const [entry] = this.interleavings.splice(index, 1);
      await entry!.action(transition);
    }
    if (this.conflictsToInject > 0) {
      this.conflictsToInject--;
      throw new ConcurrencyConflict('injected TransactionConflict');
    }

    // Conditions, in the order of the transaction's items: the registration first, then the session.
    const key = registrationKey(registration.sessionId, registration.participantId);
    const current = this.registrations.get(key);
    if (!current || current.status !== registration.status) throw new RegistrationChanged(registration.sessionId, registration.participantId);
    const hasCounters = Object.keys(counters).length > 0;
    const session = this.sessions.get(registration.sessionId);
    if (hasCounters && counters.seatsTaken === 1 && !(session && session.status === 'scheduled' && session.seatsTaken < session.capacity)) {
      throw new NoSeatFree(registration.sessionId);
    }
    if (hasCounters && !session) throw new Error(`fake: ADD on a missing session item ${registration.sessionId} is not modelled`);

    // Commit: the registration as the adapter's UpdateExpression leaves it (the position is kept after the list).
    current.status = to.status;
    current.updatedAt = now.toISOString();
    if (to.status === 'waitlisted' && to.waitlistPosition) current.waitlistPosition = to.waitlistPosition;
    if (to.status === 'offered' && to.offerExpiresAt) current.offerExpiresAt = to.offerExpiresAt;
    else delete current.offerExpiresAt;
    if (registration.status === 'held') for (const field of ['heldAs', 'holdExpiresAt', 'holdIds', 'dataTtl'] as const) delete current[field];
    if (session) for (const [counter, delta] of Object.entries(counters) as Array<[keyof typeof counters, number]>) session[counter] += delta;
    this.outbox.push(...transition.outbox);
    this.applied.push(structuredClone(transition));
  }
}
