import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { configFields, loadConfig } from '../shared/config.ts';
import { RequestError } from '../shared/errors.ts';
import { httpEdge, json, readBody, type HttpResult } from '../shared/http/http-edge.ts';
import { parseInput } from '../shared/http/validate.ts';
import { createLogger } from '../shared/logger.ts';
import { sessionInput } from '../shared/model.ts';
import { CapacityBelowSeatsTaken } from '../shared/programme/programme-store.ts';
import { documentClient } from '../shared/store/dynamo-client.ts';
import { DynamoLifecycleStore } from '../shared/store/dynamo-lifecycle-store.ts';
import { decidePending } from '../shared/registration/lifecycle.ts';
import { systemClock } from '../shared/clock.ts';
import { DynamoProgrammeStore } from '../shared/store/dynamo-programme-store.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME, OFFER_CLAIM_HOURS: z.coerce.number().min(0).default(24) }));
const logger = createLogger('admin-api');
const programme = new DynamoProgrammeStore(documentClient, config.TABLE_NAME);
const lifecycle = { store: new DynamoLifecycleStore(documentClient, config.TABLE_NAME), clock: systemClock, defaultClaimWindowHours: config.OFFER_CLAIM_HOURS };

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
  /** Creates or updates one session (the programme import calls this once per session). */
  'PUT /admin/sessions/{sessionId}': async (event) => {
    const body = readBody(event, 'en');
    const input = parseInput(sessionInput, body, 'en');
    if (input.sessionId !== event.pathParameters?.sessionId) {
      throw new RequestError(400, 'invalid_request', 'sessionId in the body must match the path', [
        { field: 'sessionId', code: 'mismatch', message: 'must match the path' },
      ]);
    }
    try {
      return json(200, { sessionId: input.sessionId, result: await programme.upsertSession(input) });
    } catch (error) {
      if (error instanceof CapacityBelowSeatsTaken) {
        throw new RequestError(409, 'capacity_below_seats_taken', error.message, [{ field: 'capacity', code: 'too_small', message: error.message }]);
      }
      throw error;
    }
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

