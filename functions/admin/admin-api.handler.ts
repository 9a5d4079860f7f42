import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { configFields, loadConfig } from '../core/config.ts';
import { RequestError } from '../core/errors.ts';
import { httpEdge, json, readBody, type HttpResult } from '../core/http/http-edge.ts';
import { parseInput } from '../core/http/validate.ts';
import { createLogger } from '../core/logger.ts';
import { sessionFields, sessionInput } from '../core/model.ts';
import { changeSession, type SessionChange } from '../programme/change-session.ts';
import { registrationsCsv } from './export-registrations.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { upsertSession } from '../programme/import-programme.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoLifecycleStore } from '../waitlist/dynamo-lifecycle-store.ts';
import { decidePending } from '../waitlist/lifecycle.ts';
import { systemClock } from '../core/clock.ts';
import { DynamoProgrammeStore } from '../programme/dynamo-programme-store.ts';
import { DynamoMailLog } from '../delivery/dynamo-mail-log.ts';
import { eraseParticipant } from '../registrant/erase-participant.ts';
import { LoggingMailer } from '../delivery/mail-log.ts';
import { SesMailer, sesClient } from '../core/mail/ses-mailer.ts';

const config = loadConfig(
  z.object({
    TABLE_NAME: configFields.TABLE_NAME,
    MAIL_FROM: configFields.MAIL_FROM,
    CONFIGURATION_SET: configFields.CONFIGURATION_SET,
    OFFER_CLAIM_HOURS: z.coerce.number().min(0).default(24),
    NOTICE_QUIET_MINUTES: z.coerce.number().min(0).default(10),
  }),
);
const logger = createLogger('admin-api');
const programme = new DynamoProgrammeStore(documentClient, config.TABLE_NAME);
const registrationReader = new DynamoParticipants(documentClient, config.TABLE_NAME);
const mailLog = new DynamoMailLog(documentClient, config.TABLE_NAME);
const programmeDeps = { store: programme, clock: systemClock, quietPeriodMinutes: config.NOTICE_QUIET_MINUTES };
const lifecycle = { store: new DynamoLifecycleStore(documentClient, config.TABLE_NAME), clock: systemClock, defaultClaimWindowHours: config.OFFER_CLAIM_HOURS };

const iso = z.iso.datetime({ offset: true });
const changeBodies = {
  reschedule: z.object({ startsAt: iso, endsAt: iso }).strict(),
  update: sessionFields.strict().refine((fields) => Object.keys(fields).length > 0, { message: 'nothing to change' }),
  cancel: z.object({ reason: z.string().max(500).optional() }).strict(),
};

async function change(event: APIGatewayProxyEventV2, sessionChange: SessionChange): Promise<HttpResult> {
  const sessionId = event.pathParameters?.sessionId ?? '';
  const result = await changeSession(programmeDeps, sessionId, sessionChange);
  return json(200, { sessionId, changed: result.changed, version: result.session.version, session: result.session });
}

const eraseDeps = {
  lifecycle,
  participants: registrationReader,
  mailer: new LoggingMailer(new SesMailer(sesClient, config.MAIL_FROM, config.CONFIGURATION_SET), mailLog, systemClock),
  clock: systemClock,
};

/** Approve or reject a pending registration for a restricted session. */
const decide = (decision: 'approve' | 'reject'): Route => async (event) => {
  const { participantId = '', sessionId = '' } = event.pathParameters ?? {};
  const result = await decidePending(lifecycle, participantId, sessionId, decision);
  return json(200, { participantId, sessionId, ...result });
};

type Route = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

const routes: Record<string, Route> = {
  /** Lists every session with its counters (organisers see what visitors see, plus fill). */
  'GET /admin/sessions': async () => json(200, { sessions: await programme.listSessions() }),
  'POST /admin/registrations/{participantId}/{sessionId}/approve': decide('approve'),
  'POST /admin/registrations/{participantId}/{sessionId}/reject': decide('reject'),
  'POST /admin/sessions/{sessionId}/reschedule': async (event) => {
    const body = parseInput(changeBodies.reschedule, readBody(event, 'en'), 'en');
    return change(event, { kind: 'reschedule', startsAt: body.startsAt, endsAt: body.endsAt });
  },
  'PATCH /admin/sessions/{sessionId}': async (event) => {
    const fields = parseInput(changeBodies.update, readBody(event, 'en'), 'en');
    return change(event, { kind: 'update', fields });
  },
  'POST /admin/sessions/{sessionId}/cancel': async (event) => {
    const body = parseInput(changeBodies.cancel, event.body ? readBody(event, 'en') : {}, 'en');
    return change(event, { kind: 'cancel', ...(body.reason ? { reason: body.reason } : {}) });
  },
  /** The session's registrations as CSV (erased participants without personal data). */
  'GET /admin/sessions/{sessionId}/registrations': async (event) => {
    const sessionId = event.pathParameters?.sessionId ?? '';
    if (!(await programme.getSession(sessionId))) throw new RequestError(404, 'unknown_session', `Unknown session ${sessionId}.`);
    const registrationsOf = await lifecycle.store.listSessionRegistrations(sessionId);
    const participants = await registrationReader.getParticipants(registrationsOf.map((r) => r.participantId));
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${sessionId}-registrations.csv"` },
      body: registrationsCsv(registrationsOf, participants),
    };
  },
  /** Every mail logged for a session with its delivery status (sent, delivered, bounced, complained). */
  'GET /admin/sessions/{sessionId}/deliveries': async (event) => {
    const sessionId = event.pathParameters?.sessionId ?? '';
    const records = await mailLog.forSession(sessionId);
    const counts = records.reduce<Record<string, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
    return json(200, { sessionId, counts, mails: records });
  },
  /** Organisers erase a registrant by email (a request received by other means). */
  'POST /admin/participants/erase': async (event) => {
    const { email } = parseInput(z.object({ email: z.email() }).strict(), readBody(event, 'en'), 'en');
    const participantId = await registrationReader.findParticipantIdByEmail(email);
    if (!participantId) throw new RequestError(404, 'not_found', 'No participant with this email.');
    return json(200, { participantId, ...(await eraseParticipant(eraseDeps, participantId)) });
  },
  /** Creates or updates one session (the programme import calls this once per session). */
  'PUT /admin/sessions/{sessionId}': async (event) => {
    const body = readBody(event, 'en');
    const input = parseInput(sessionInput, body, 'en');
    if (input.sessionId !== event.pathParameters?.sessionId) {
      throw new RequestError(400, 'invalid_request', 'sessionId in the body must match the path', [
        { field: 'sessionId', code: 'mismatch', message: 'must match the path' },
      ]);
    }
    return json(200, { sessionId: input.sessionId, result: await upsertSession(programmeDeps, input) });
  },
};

/** The organisers' API (IAM-authorised in AWS, SigV4-checked locally); one function, routed by route key. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpEdge(logger))
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) throw new RequestError(404, 'not_found', 'Not found.');
    return route(event);
  });

