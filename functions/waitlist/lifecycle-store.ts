import type { Session, StoredRegistration } from '../core/model.ts';
import type { OutboxItem } from '../core/outbox.ts';

export type { StoredRegistration };

/** A registration's status changed under it (another request won); the caller re-reads. */
export class RegistrationChanged extends Error {
  constructor(readonly sessionId: string, readonly participantId: string) {
    super(`Registration ${sessionId}/${participantId} changed concurrently`);
    this.name = 'RegistrationChanged';
  }
}

/** No seat is free any more (or the session was cancelled) at commit time. */
export class NoSeatFree extends Error {
  constructor(readonly sessionId: string) {
    super(`No free seat in ${sessionId}`);
    this.name = 'NoSeatFree';
  }
}

/** A status change and its effects, committed atomically by the adapter. */
export type Transition = {
  registration: StoredRegistration;
  /** The new state; the adapter conditions the write on `registration.status` being unchanged. */
  to: Pick<StoredRegistration, 'status'> & { waitlistPosition?: number; offerExpiresAt?: string };
  /** Counter changes on the session (seats taken, waiting, pending); a seat taken is conditioned on room. */
  counters: Partial<Record<'seatsTaken' | 'waitlistCount' | 'pendingCount' | 'seatsHeld' | 'waitlistHeld' | 'pendingHeld', -1 | 1>>;
  outbox: OutboxItem[];
  now: Date;
};

/** Storage port of everything that happens to a registration after the submission. */
export interface LifecycleStore {
  getSession(sessionId: string): Promise<Session | undefined>;
  getRegistration(sessionId: string, participantId: string): Promise<StoredRegistration | undefined>;
  listParticipantRegistrations(participantId: string): Promise<StoredRegistration[]>;
  /** The first `limit` waitlisted registrations of a session, in position order. */
  waitlistHead(sessionId: string, limit: number): Promise<StoredRegistration[]>;
  /** Offers whose claim window ended at or before `now`, oldest first. */
  dueOffers(now: Date, limit: number): Promise<StoredRegistration[]>;
  reserveWaitlistPosition(sessionId: string): Promise<number>;
  /** Applies one transition; throws RegistrationChanged or NoSeatFree and writes nothing then. */
  apply(transition: Transition): Promise<void>;
}
