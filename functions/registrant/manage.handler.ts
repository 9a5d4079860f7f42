import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { systemClock } from '../core/clock.ts';
import { configFields, loadConfig } from '../core/config.ts';
import { RequestError } from '../core/errors.ts';
import { httpEdge, json, readBody, requestLanguage, wantsHtml, type HttpResult } from '../core/http/http-edge.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { parseInput } from '../core/http/validate.ts';
import { createLogger } from '../core/logger.ts';
import { language, timeZone, type Language } from '../core/model.ts';
import { acceptOffer, cancelRegistration } from '../waitlist/lifecycle.ts';
import { loadManageView } from './load-manage-view.ts';
import { submitRegistration } from '../intake/submit-registration.ts';
import { tokenSigner } from '../identity/token-signer.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoLifecycleStore } from '../waitlist/dynamo-lifecycle-store.ts';
import { DynamoProgrammeStore } from '../programme/dynamo-programme-store.ts';
import { DynamoRegistrationStore } from '../intake/dynamo-registration-store.ts';
import { TokenError } from '../identity/tokens.ts';
import { eraseParticipant } from './erase-participant.ts';
import { LoggingMailer } from '../delivery/mail-log.ts';
import { SesMailer, sesClient } from '../core/mail/ses-mailer.ts';
import { DynamoMailLog } from '../delivery/dynamo-mail-log.ts';
import { DynamoDigestLog } from '../digest/dynamo-digest-log.ts';
import { renderManage, renderMessage, renderUnsubscribeConfirm } from './render.ts';

const config = loadConfig(
  z.object({
    TABLE_NAME: configFields.TABLE_NAME,
    PUBLIC_URL: configFields.PUBLIC_URL,
    TOKEN_SECRET_ARN: configFields.TOKEN_SECRET_ARN,
    FORUM_TIME_ZONE: configFields.FORUM_TIME_ZONE,
    MAIL_FROM: configFields.MAIL_FROM,
    CONFIGURATION_SET: configFields.CONFIGURATION_SET,
    TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(180),
    PERSONAL_DATA_DAYS: z.coerce.number().int().positive().default(90),
    OFFER_CLAIM_HOURS: z.coerce.number().min(0).default(24),
  }),
);
const logger = createLogger('manage');
const registrations = new DynamoRegistrationStore(documentClient, config.TABLE_NAME);
const lifecycle = new DynamoLifecycleStore(documentClient, config.TABLE_NAME);
const programme = new DynamoProgrammeStore(documentClient, config.TABLE_NAME);
const lifecycleDeps = { store: lifecycle, clock: systemClock, defaultClaimWindowHours: config.OFFER_CLAIM_HOURS };
const mailLog = new DynamoMailLog(documentClient, config.TABLE_NAME);
const digestLog = new DynamoDigestLog(documentClient, config.TABLE_NAME);
const eraseDeps = {
  lifecycle: lifecycleDeps,
  participants: registrations,
  mailer: new LoggingMailer(new SesMailer(sesClient, config.MAIL_FROM, config.CONFIGURATION_SET), mailLog, systemClock),
  clock: systemClock,
};

// Any string: a malformed token is a forbidden request (403), not a validation error.
const tokenField = z.string().max(2000);
const sessionIdField = z.string().min(1).max(64);
const checkbox = z.union([z.boolean(), z.enum(['on', 'true', 'false', 'off', '1', '0'])]).transform((v) => v === true || v === 'on' || v === 'true' || v === '1');

const bodies = {
  cancel: z.object({ token: tokenField, sessionId: sessionIdField }).strict(),
  add: z.object({ token: tokenField, sessionIds: z.array(sessionIdField).min(1).max(20) }).strict(),
  accept: z.object({ token: tokenField, sessionId: sessionIdField }).strict(),
  preferences: z.object({ token: tokenField, language, timeZone, reminders: checkbox.default(false) }).strict(),
  erase: z.object({ token: tokenField, confirm: checkbox.refine((yes) => yes, { message: 'Tick the box to confirm.' }) }).strict(),
};

/** Verifies the manage-link token: 403 when forged, malformed or expired, with nothing changed. */
async function participantOf(token: unknown, lang: Language): Promise<string> {
  if (typeof token !== 'string') throw new RequestError(403, 'forbidden', lang === 'en' ? 'This link is not valid.' : 'Forbidden');
  try {
    return (await tokenSigner(config.TOKEN_SECRET_ARN)).verify(token, systemClock.now()).participantId;
  } catch (error) {
    if (error instanceof TokenError) throw new RequestError(403, 'forbidden', 'This link is not valid or has expired.', [], { cause: error });
    throw error;
  }
}

const view = (participantId: string) =>
  loadManageView({ store: lifecycle, clock: systemClock, getParticipant: (id) => registrations.getParticipant(id), listSessions: () => programme.listSessions() }, participantId);

/** After a change: a form post is redirected to the manage page (post/redirect/get); JSON gets the new view. */
async function done(event: APIGatewayProxyEventV2, token: string, participantId: string, notice: string): Promise<HttpResult> {
  if (wantsHtml(event)) {
    return { statusCode: 303, headers: { location: `/me?token=${encodeURIComponent(token)}&notice=${notice}` }, body: '' };
  }
  return json(200, { notice, ...(await view(participantId)) });
}

type Route = (event: APIGatewayProxyEventV2, lang: Language) => Promise<HttpResult>;

const routes: Record<string, Route> = {
  'GET /me': async (event, lang) => {
    const token = event.queryStringParameters?.token;
    const participantId = await participantOf(token, lang);
    const manage = await view(participantId);
    if (!wantsHtml(event)) return json(200, manage);
    const pageLang = event.queryStringParameters?.lang ? lang : manage.participant.language;
    return renderManage({ lang: pageLang, view: manage, token: token!, forumTimeZone: config.FORUM_TIME_ZONE, notice: event.queryStringParameters?.notice });
  },
  'GET /me/export': async (event, lang) => {
    const participantId = await participantOf(event.queryStringParameters?.token, lang);
    const participant = await registrations.getParticipant(participantId);
    if (participant?.erasedAt) throw new RequestError(410, 'erased', 'Erased.');
    const registrationsOf = await lifecycle.listParticipantRegistrations(participantId);
    const mailsSent = await mailLog.forParticipant(participantId, [...new Set(registrationsOf.map((r) => r.sessionId))]);
    return json(200, { exportedAt: systemClock.now().toISOString(), participant, registrations: registrationsOf, mails: mailsSent }, {
      'content-disposition': `attachment; filename="convene-${participantId}.json"`,
      'cache-control': 'no-store',
    });
  },
  'POST /me/cancel': async (event, lang) => {
    const body = parseInput(bodies.cancel, readBody(event, lang), lang);
    const participantId = await participantOf(body.token, lang);
    const cancelled = await cancelRegistration(lifecycleDeps, participantId, body.sessionId, 'participant');
    if (!cancelled) throw new RequestError(404, 'not_found', 'You have no active registration for this session.');
    return done(event, body.token, participantId, 'cancelled');
  },
  'POST /me/offers/accept': async (event, lang) => {
    const body = parseInput(bodies.accept, readBody(event, lang), lang);
    const participantId = await participantOf(body.token, lang);
    await acceptOffer(lifecycleDeps, participantId, body.sessionId);
    return done(event, body.token, participantId, 'accepted');
  },
  'POST /me/sessions': async (event, lang) => {
    const body = parseInput(bodies.add, readBody(event, lang, ['sessionIds']), lang);
    const participantId = await participantOf(body.token, lang);
    const participant = await registrations.getParticipant(participantId);
    if (!participant || participant.erasedAt) throw new RequestError(410, 'erased', 'Erased.');
    const { participantId: _id, createdAt: _c, remindersOff: _r, erasedAt: _e, ...profile } = participant;
    await submitRegistration(
      { store: registrations, clock: systemClock, tokens: await tokenSigner(config.TOKEN_SECRET_ARN), publicUrl: config.PUBLIC_URL, tokenTtlDays: config.TOKEN_TTL_DAYS, personalDataDays: config.PERSONAL_DATA_DAYS },
      { ...profile, sessionIds: body.sessionIds, consent: true },
      { lang },
    );
    return done(event, body.token, participantId, 'added');
  },
  'POST /me/erase': async (event, lang) => {
    const body = parseInput(bodies.erase, readBody(event, lang), lang);
    const participantId = await participantOf(body.token, lang);
    const result = await eraseParticipant(eraseDeps, participantId);
    logger.info('participant erased', { participantId, ...result });
    return wantsHtml(event) ? renderMessage(lang, 'erased') : json(200, { erased: true, ...result });
  },
  /** RFC 8058 one-click unsubscribe: the mail client POSTs `List-Unsubscribe=One-Click` to this URL. */
  'POST /unsubscribe': async (event, lang) => {
    // RFC 8058 clients post `List-Unsubscribe=One-Click` (urlencoded); anything else in the body is ignored.
    const body = event.body ? readBody(event, lang) : {};
    const token = event.queryStringParameters?.token ?? (body as { token?: unknown }).token;
    const subject = await participantOf(token, lang);
    if (subject.startsWith('organiser:')) await digestLog.optOut(subject.slice('organiser:'.length));
    else await registrations.stopReminders(subject);
    logger.info('unsubscribed', { subject });
    return wantsHtml(event) && !(body as Record<string, unknown>)['List-Unsubscribe']
      ? renderMessage(lang, 'unsubscribed')
      : json(200, { remindersOff: true });
  },
  /** The link itself only asks: a GET must never change anything (mail scanners follow links). */
  'GET /unsubscribe': async (event, lang) => {
    await participantOf(event.queryStringParameters?.token, lang);
    return renderUnsubscribeConfirm(lang, event.queryStringParameters!.token!);
  },
  'POST /me/preferences': async (event, lang) => {
    const body = parseInput(bodies.preferences, readBody(event, lang), lang);
    const participantId = await participantOf(body.token, lang);
    await registrations.updatePreferences(participantId, { language: body.language, timeZone: body.timeZone, remindersOff: !body.reminders });
    return done(event, body.token, participantId, 'preferences');
  },
};

/** The registrant's manage link: see, add, cancel, accept offers, preferences, export. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpEdge(logger, errorPageFor))
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) throw new RequestError(404, 'not_found', 'Not found.');
    const lang = requestLanguage(event);
    return route(event, lang);
  });
