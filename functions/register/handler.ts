import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { systemClock } from '../shared/clock.ts';
import { configFields, loadConfig } from '../shared/config.ts';
import { httpEdge, json, readBody, requestLanguage, type HttpResult } from '../shared/http/http-edge.ts';
import { parseInput } from '../shared/http/validate.ts';
import { createLogger } from '../shared/logger.ts';
import { language } from '../shared/model.ts';
import { registrationRequest } from '../shared/registration/registration-request.ts';
import { submitRegistration } from '../shared/registration/submit-registration.ts';
import { tokenSigner } from '../shared/secrets.ts';
import { documentClient } from '../shared/store/dynamo-client.ts';
import { DynamoRegistrationStore } from '../shared/store/dynamo-registration-store.ts';

const config = loadConfig(
  z.object({
    TABLE_NAME: configFields.TABLE_NAME,
    PUBLIC_URL: configFields.PUBLIC_URL,
    TOKEN_SECRET_ARN: configFields.TOKEN_SECRET_ARN,
    TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(180),
  }),
);
const logger = createLogger('register');
const store = new DynamoRegistrationStore(documentClient, config.TABLE_NAME);

/** Form checkboxes arrive as "on" (only in urlencoded forms; JSON must send `true`); the rest is left to the schema. */
function fromForm(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  return 'consent' in record && typeof record.consent === 'string'
    ? { ...record, consent: ['on', 'true', 'yes', '1'].includes(record.consent) }
    : record;
}

/** POST /registrations: validates, stores in one transaction, answers 201 with each session's status. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpEdge(logger))
  .handler(async (event) => {
    let lang = requestLanguage(event);
    const raw = readBody(event, lang, ['sessionIds']);
    const isForm = (event.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const body = isForm ? fromForm(raw) : raw;
    const declared = language.safeParse((body as { language?: unknown } | null)?.language);
    if (declared.success && !event.queryStringParameters?.lang) lang = declared.data;
    const request = parseInput(registrationRequest, body, lang);
    const idempotencyKey = event.headers['idempotency-key']?.slice(0, 200);
    const answer = await submitRegistration(
      { store, clock: systemClock, tokens: await tokenSigner(config.TOKEN_SECRET_ARN), publicUrl: config.PUBLIC_URL, tokenTtlDays: config.TOKEN_TTL_DAYS },
      request,
      { lang, ...(idempotencyKey ? { idempotencyKey } : {}) },
    );
    logger.info('registration stored', { participantId: answer.participantId, sessions: answer.sessions.map((s) => s.status) });
    return json(201, answer);
  });
