import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { RequestError } from '../core/errors.ts';
import { json, readBody } from '../core/http/http-edge.ts';
import type { Route, Routes } from '../core/http/http-function.ts';
import { parseInput } from '../core/http/validate.ts';
import { sessionChanges, sessionInput, type Session } from '../core/model.ts';
import { changeSession, upsertSession, type ProgrammeDeps, type SessionChange } from '../programme/index.ts';
import { decidePending, type LifecycleDeps } from '../waitlist/index.ts';
import { eraseByEmail, sessionDeliveries, sessionRegistrationsCsv } from './organiser-actions.ts';

export type AdminDeps = {
  programme: ProgrammeDeps & { store: { listSessions(): Promise<Session[]> } };
  lifecycle: LifecycleDeps;
  registrationsCsv: Parameters<typeof sessionRegistrationsCsv>[0];
  deliveries: Parameters<typeof sessionDeliveries>[0];
  erase: Parameters<typeof eraseByEmail>[0];
};

const iso = z.iso.datetime({ offset: true });
const bodies = {
  reschedule: z.object({ startsAt: iso, endsAt: iso }).strict(),
  update: sessionChanges.strict().refine((fields) => Object.keys(fields).length > 0, { message: 'nothing to change' }),
  cancel: z.object({ reason: z.string().max(500).optional() }).strict(),
  erase: z.object({ email: z.email() }).strict(),
};

const sessionIdOf = (event: APIGatewayProxyEventV2) => event.pathParameters?.sessionId ?? '';

/** The organisers' API as HTTP (IAM-authorised in AWS): parse, call one use case, answer JSON (or CSV). */
export function adminRoutes(deps: AdminDeps): Routes {
  const change = async (event: APIGatewayProxyEventV2, sessionChange: SessionChange) => {
    const result = await changeSession(deps.programme, sessionIdOf(event), sessionChange);
    return json(200, { sessionId: sessionIdOf(event), changed: result.changed, version: result.session.version, session: result.session });
  };
  /** Approve or reject a pending registration for a restricted session. */
  const decide = (decision: 'approve' | 'reject'): Route => async ({ event }) => {
    const { participantId = '', sessionId = '' } = event.pathParameters ?? {};
    return json(200, { participantId, sessionId, ...(await decidePending(deps.lifecycle, participantId, sessionId, decision)) });
  };
  return {
    /** Lists every session with its counters (organisers see what visitors see, plus fill). */
    'GET /admin/sessions': async () => json(200, { sessions: await deps.programme.store.listSessions() }),
    'POST /admin/registrations/{participantId}/{sessionId}/approve': decide('approve'),
    'POST /admin/registrations/{participantId}/{sessionId}/reject': decide('reject'),
    'POST /admin/sessions/{sessionId}/reschedule': async ({ event }) => {
      const { startsAt, endsAt } = parseInput(bodies.reschedule, readBody(event, 'en'), 'en');
      return change(event, { kind: 'reschedule', startsAt, endsAt });
    },
    'PATCH /admin/sessions/{sessionId}': async ({ event }) => change(event, { kind: 'update', translations: 'merge', fields: parseInput(bodies.update, readBody(event, 'en'), 'en') }),
    'POST /admin/sessions/{sessionId}/cancel': async ({ event }) => {
      const { reason } = parseInput(bodies.cancel, event.body ? readBody(event, 'en') : {}, 'en');
      return change(event, { kind: 'cancel', ...(reason ? { reason } : {}) });
    },
    'GET /admin/sessions/{sessionId}/registrations': async ({ event }) => ({
      statusCode: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${sessionIdOf(event)}-registrations.csv"` },
      body: await sessionRegistrationsCsv(deps.registrationsCsv, sessionIdOf(event)),
    }),
    'GET /admin/sessions/{sessionId}/deliveries': async ({ event }) => json(200, await sessionDeliveries(deps.deliveries, sessionIdOf(event))),
    'POST /admin/participants/erase': async ({ event }) => json(200, await eraseByEmail(deps.erase, parseInput(bodies.erase, readBody(event, 'en'), 'en').email)),
    /** Creates or updates one session (the programme import calls this once per session). */
    'PUT /admin/sessions/{sessionId}': async ({ event }) => {
      const input = parseInput(sessionInput, readBody(event, 'en'), 'en');
      if (input.sessionId !== sessionIdOf(event)) {
        throw new RequestError(400, 'invalid_request', 'sessionId in the body must match the path', [{ field: 'sessionId', code: 'mismatch', message: 'must match the path' }]);
      }
      return json(200, { sessionId: input.sessionId, result: await upsertSession(deps.programme, input) });
    },
  };
}
