import type { Session, SessionInput } from '../model.ts';

export class CapacityBelowSeatsTaken extends Error {
  constructor(readonly sessionId: string, readonly seatsTaken: number) {
    super(`Capacity of ${sessionId} cannot go below the ${seatsTaken} seats already taken`);
    this.name = 'CapacityBelowSeatsTaken';
  }
}

export type UpsertResult = 'created' | 'updated' | 'unchanged';

/** Storage port of the programme (sessions as organisers declare them, plus counters). */
export interface ProgrammeStore {
  /** Every session in start order. */
  listSessions(): Promise<Session[]>;
  /** Creates or changes a session; refuses a capacity below the seats already taken. */
  upsertSession(input: SessionInput): Promise<UpsertResult>;
}
