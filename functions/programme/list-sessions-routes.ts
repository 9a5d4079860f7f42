import { json, PUBLIC_BRIEFLY } from '../core/http/http-edge.ts';
import type { Routes } from '../core/http/http-function.ts';
import type { Session } from '../core/model.ts';
import { toSessionView } from '../core/sessions-view.ts';

/** GET /sessions: the programme in start order with seats left; cacheable for a few seconds. */
export function listSessionsRoutes(deps: { sessions: { listSessions(): Promise<Session[]> }; clock: { now(): Date } }): Routes {
  return {
    'GET /sessions': async () => {
      const now = deps.clock.now();
      const sessions = (await deps.sessions.listSessions()).map((session) => toSessionView(session, now));
      return json(200, { sessions }, PUBLIC_BRIEFLY);
    },
  };
}
