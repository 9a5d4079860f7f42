import type { Session, SessionInput } from '../core/model.ts';
import type { ProgrammeChangeStore } from './change-session.ts';

export type UpsertResult = 'created' | 'updated' | 'unchanged';

/** Storage port of the programme (sessions as organisers declare them, plus counters). */
export interface ProgrammeStore extends ProgrammeChangeStore {
  /** Every session in start order. */
  listSessions(): Promise<Session[]>;
  /** Creates a new session with empty counters; throws ConcurrencyConflict if it exists. */
  createSession(input: SessionInput): Promise<void>;
}
