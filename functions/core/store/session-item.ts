import { storedSession, type Session } from '../model.ts';
import { keys, programmeIndex } from './keys.ts';

/** Session fields as stored, with the keys that place them in the table and in the programme index. */
export function sessionItem(session: Session) {
  return {
    ...keys.session(session.sessionId),
    type: 'session',
    ...programmeIndex.partition,
    programmeSk: programmeIndex.sortKey(session.startsAt, session.sessionId),
    ...session,
  };
}

/** Reads a stored session back into the domain shape: key attributes dropped, missing counters 0. */
export function sessionFromItem(item: Record<string, unknown>): Session {
  return storedSession.parse(item);
}
