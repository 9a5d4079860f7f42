import type { Session } from '../model.ts';
import { gsi1, keys } from './keys.ts';

/** Session fields as stored, with the keys that place them in the table and in the programme index. */
export function sessionItem(session: Session) {
  return {
    ...keys.session(session.sessionId),
    type: 'session',
    ...gsi1.programme,
    gsi1sk: gsi1.sessionSortKey(session.startsAt, session.sessionId),
    ...session,
  };
}

const COUNTERS = ['version', 'seatsTaken', 'waitlistCount', 'pendingCount', 'waitlistSeq'] as const;

/** Reads a stored session back into the domain shape (drops key attributes, defaults counters). */
export function sessionFromItem(item: Record<string, unknown>): Session {
  const { pk: _pk, sk: _sk, type: _type, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  const session = rest as unknown as Session;
  for (const counter of COUNTERS) session[counter] = Number(session[counter] ?? 0);
  return session;
}
