import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { systemClock } from '../core/clock.ts';
import { configFields, loadConfig } from '../core/config.ts';
import { RequestError } from '../core/errors.ts';
import { htmlPage, httpEdge, json, readBody, requestLanguage, wantsHtml, type HttpResult } from '../core/http/http-edge.ts';
import { parseInput } from '../core/http/validate.ts';
import { createLogger } from '../core/logger.ts';
import { isTimeZone, language, type Language } from '../core/model.ts';
import { answerPage } from './answer-page.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { registrationPage } from './registration-page.ts';
import { toSessionView } from '../core/sessions-view.ts';
import { registrationRequest } from './registration-request.ts';
import { submitRegistration } from './submit-registration.ts';
import { tokenSigner } from '../identity/token-signer.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoProgrammeStore } from '../programme/dynamo-programme-store.ts';
import { DynamoRegistrationStore } from './dynamo-registration-store.ts';

const config = loadConfig(
  z.object({
    TABLE_NAME: configFields.TABLE_NAME,
    PUBLIC_URL: configFields.PUBLIC_URL,
    TOKEN_SECRET_ARN: configFields.TOKEN_SECRET_ARN,
    FORUM_TIME_ZONE: configFields.FORUM_TIME_ZONE,
    TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(180),
    PERSONAL_DATA_DAYS: z.coerce.number().int().positive().default(90),
  }),
);
const logger = createLogger('register');
const store = new DynamoRegistrationStore(documentClient, config.TABLE_NAME);
const programme = new DynamoProgrammeStore(documentClient, config.TABLE_NAME);

/** Form checkboxes arrive as "on" (only in urlencoded forms; JSON must send `true`); the rest is left to the schema. */
function fromForm(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  return 'consent' in record && typeof record.consent === 'string'
    ? { ...record, consent: ['on', 'true', 'yes', '1'].includes(record.consent) }
    : record;
}

async function sessionViews() {
  const now = new Date();
  return (await programme.listSessions()).map((session) => toSessionView(session, now));
}

/** A refused form comes back filled in, with the problems next to their fields, in the visitor's language. */
async function refusedForm(error: RequestError, lang: Language, values: Record<string, string | string[]>): Promise<HttpResult> {
  const zone = typeof values.timeZone === 'string' && isTimeZone(values.timeZone) ? values.timeZone : config.FORUM_TIME_ZONE;
  return htmlPage(
    error.statusCode,
    registrationPage({
      lang,
      sessions: await sessionViews(),
      forumTimeZone: config.FORUM_TIME_ZONE,
      displayTimeZone: zone,
      values,
      errors: error.fields,
      ...(error.fields.length === 0 || error.statusCode !== 400 ? { message: error.message } : {}),
    }),
  );
}

/**
 * POST /registrations: validates, stores in one transaction, answers 201 with each session's status, as
 * JSON, or as the answer page for the registration form (which gets itself back, filled in, when refused).
 */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpEdge(logger, errorPageFor))
  .handler(async (event) => {
    let lang = requestLanguage(event);
    const isForm = (event.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const asPage = wantsHtml(event);
    let raw: unknown;
    try {
      raw = readBody(event, lang, ['sessionIds']);
      const declared = language.safeParse((raw as { language?: unknown } | null)?.language);
      if (declared.success && !event.queryStringParameters?.lang) lang = declared.data;
      const request = parseInput(registrationRequest, isForm ? fromForm(raw) : raw, lang);
      const idempotencyKey = event.headers['idempotency-key']?.slice(0, 200);
      const answer = await submitRegistration(
        { store, clock: systemClock, tokens: await tokenSigner(config.TOKEN_SECRET_ARN), publicUrl: config.PUBLIC_URL, tokenTtlDays: config.TOKEN_TTL_DAYS, personalDataDays: config.PERSONAL_DATA_DAYS },
        request,
        { lang, ...(idempotencyKey ? { idempotencyKey } : {}) },
      );
      logger.info('registration stored', { participantId: answer.participantId, sessions: answer.sessions.map((s) => s.status) });
      if (!asPage) return json(201, answer);
      const views = new Map((await sessionViews()).map((view) => [view.sessionId, view]));
      return htmlPage(201, answerPage({ lang, answer, sessions: views, timeZone: request.timeZone, forumTimeZone: config.FORUM_TIME_ZONE }));
    } catch (error) {
      if (asPage && error instanceof RequestError && error.statusCode < 500) {
        logger.info('form refused', { statusCode: error.statusCode, fields: error.fields.map((f) => f.field) });
        const values = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, string | string[]>) : {};
        return refusedForm(error, lang, values);
      }
      throw error;
    }
  });
