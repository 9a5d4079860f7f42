import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import type { Clock } from '../core/clock.ts';
import { RequestError } from '../core/errors.ts';
import { json, readBody, requestLanguage, wantsHtml, type HttpResult } from '../core/http/http-edge.ts';
import type { Route, Routes } from '../core/http/http-function.ts';
import { parseInput } from '../core/http/validate.ts';
import type { Logger } from '@aws-lambda-powertools/logger';
import { language, personText, timeZone, type Language, type Participant } from '../core/model.ts';
import { linkVerifier, signedFeedUrl, type TokenPurpose, type TokenSigner } from '../identity/index.ts';
import { acceptOffer, cancelRegistration, type LifecycleDeps } from '../waitlist/index.ts';
import { calendarFeed, notModified, type FeedDeps } from './calendar-feed.ts';
import { eraseParticipant, type EraseDeps } from './erase-participant.ts';
import { loadManageView } from './load-manage-view.ts';
import type { ManageView } from './manage-view.ts';
import { ACTIVE } from './manage-page.ts';
import { renderCancelConfirm, renderManage, renderMessage, renderUnsubscribeConfirm } from './render.ts';
import { addSessions, exportData, mailManageLink, unsubscribe, updateDetails, updatePreferences } from './self-service.ts';
import { t } from '../core/i18n/messages.ts';

/** What the manage routes need: the use cases' ports, the link signer, the forum's zone. */
export type ManageDeps = {
  /** The signer; `refresh` re-reads the keys (after a rotation). */
  tokens: (options?: { refresh?: boolean }) => Promise<TokenSigner>;
  clock: Clock;
  logger: Logger;
  forumTimeZone: string;
  lifecycle: LifecycleDeps;
  erase: EraseDeps;
  view: Omit<Parameters<typeof loadManageView>[0], 'store' | 'clock'>;
  exportData: Omit<Parameters<typeof exportData>[0], 'clock'>;
  addSessions: Parameters<typeof addSessions>[0];
  preferences: Parameters<typeof updatePreferences>[0];
  unsubscribe: Parameters<typeof unsubscribe>[0];
  /** Reads a participant (for the link's generation) and signs all its links out. */
  links: { getParticipant(participantId: string): Promise<Participant | undefined>; signOutLinks(participantId: string): Promise<boolean> };
  mailLink: Parameters<typeof mailManageLink>[0];
  /** The calendar feed's reads and the sender it names as ORGANIZER. */
  feed: Omit<FeedDeps, 'clock'>;
  /** Confirms every live hold of the participant (address confirmation), returning what it confirmed. */
  confirmHolds(participantId: string): Promise<unknown[]>;
};

// Any string: a malformed token is a forbidden request (403), not a validation error.
const tokenField = z.string().max(2000);
const sessionIdField = z.string().min(1).max(64);
const checkbox = z.union([z.boolean(), z.enum(['on', 'true', 'false', 'off', '1', '0'])]).transform((v) => v === true || v === 'on' || v === 'true' || v === '1');

/** A form's fields as posted, or nothing when the body cannot be read (too large, another content type). */
function postedFields(event: APIGatewayProxyEventV2, lang: Language): unknown {
  try {
    return readBody(event, lang);
  } catch {
    return {};
  }
}

const bodies = {
  /** A browser's first post only asks (the confirmation step); `confirmed=yes` does it. API clients act at once. */
  cancel: z.object({ token: tokenField, sessionId: sessionIdField, confirmed: z.literal('yes').optional() }).strict(),
  add: z.object({ token: tokenField, sessionIds: z.array(sessionIdField).min(1).max(20) }).strict(),
  accept: z.object({ token: tokenField, sessionId: sessionIdField }).strict(),
  preferences: z.object({ token: tokenField, language, timeZone, reminders: checkbox.default(false) }).strict(),
  details: z.object({ token: tokenField, name: personText(200), organisation: personText(200) }).strict(),
  erase: z.object({ token: tokenField, confirm: checkbox.refine((yes) => yes, { params: { key: 'confirmTick' } }) }).strict(),
  signOut: z.object({ token: tokenField }).strict(),
  link: z.object({ email: z.email().max(254) }).strict(),
};

/**
 * The registrant's manage link as HTTP: each route verifies the link's token, parses its input, calls one
 * use case, and answers a page to browsers (post/redirect/get after a change) or JSON to API clients.
 */
export function manageRoutes(deps: ManageDeps): Routes {
  const claimOf = linkVerifier(deps);
  /**
   * The participant a registrant's link (manage or unsubscribe) belongs to: 410 once erased (nothing is
   * written), 403 when the link was signed out ("sign out all my links" raised the generation since).
   */
  const liveParticipant = async (claim: { subject: string; generation?: number }, lang: Language): Promise<Participant> => {
    const participant = await deps.links.getParticipant(claim.subject);
    if (!participant) throw new RequestError(403, 'forbidden', t(lang, 'error.linkInvalid'));
    if (participant.erasedAt) throw new RequestError(410, 'erased', t(lang, 'error.erased'));
    if ((participant.linkGeneration ?? 0) !== (claim.generation ?? 0)) throw new RequestError(403, 'signed_out', t(lang, 'error.linkSignedOut'));
    return participant;
  };
  const liveSubject = async (claim: { subject: string; generation?: number }, lang: Language) => (await liveParticipant(claim, lang)).participantId;
  const participantOf = async (token: unknown, lang: Language): Promise<string> => liveSubject(await claimOf(token, ['manage'], lang), lang);
  const UNSUBSCRIBE: readonly TokenPurpose[] = ['unsubscribe', 'digest-opt-out'];
  /**
   * The manage view, with the address of the registrant's calendar feed (a `feed` token of the link's
   * generation, so "sign out all my links" ends it too); a participant already read for the link's check
   * is not read again.
   */
  const view = async (participantId: string, known?: Participant): Promise<ManageView> => {
    const manage = await loadManageView({ ...deps.view, ...(known ? { getParticipant: async () => known } : {}), store: deps.lifecycle.store, clock: deps.clock }, participantId);
    const generation = (known ?? (await deps.links.getParticipant(participantId)))?.linkGeneration ?? 0;
    return { ...manage, feedUrl: signedFeedUrl({ publicUrl: deps.feed.context.publicUrl, tokens: await deps.tokens(), participantId, issuedAt: deps.clock.now(), generation }) };
  };
  const done = async (event: APIGatewayProxyEventV2, token: string, participantId: string, notice: string): Promise<HttpResult> =>
    wantsHtml(event)
      ? { statusCode: 303, headers: { location: `/me?token=${encodeURIComponent(token)}&notice=${notice}${event.queryStringParameters?.lang ? `&lang=${requestLanguage(event)}` : ''}` }, body: '' }
      : json(200, { notice, ...(await view(participantId)) });

  /**
   * A manage-page form: its fields parsed with `schema` before anything else (nothing is written before
   * that). A browser's refused form comes back as the manage page with the problems next to their fields
   * (400), in the page's language, instead of a dead end; the link's token is read from the form as posted.
   */
  const manageForm =
    <S extends z.ZodType>(schema: S, handle: (body: z.infer<S>, request: Parameters<Route>[0]) => Promise<HttpResult>, arrays: string[] = []): Route =>
    async (request) => {
      const parse = (lang: Language) => parseInput(schema, readBody(request.event, lang, arrays), lang);
      let body: z.infer<S>;
      try {
        body = parse(request.lang);
      } catch (error) {
        if (!(error instanceof RequestError) || error.statusCode !== 400 || !wantsHtml(request.event)) throw error;
        const fieldsAsPosted = postedFields(request.event, request.lang);
        const posted = z.object({ token: z.string() }).safeParse(fieldsAsPosted);
        if (!posted.success) throw error;
        const participant = await liveParticipant(await claimOf(posted.data.token, ['manage'], request.lang), request.lang);
        const manage = await view(participant.participantId, participant);
        const pageLang = request.event.queryStringParameters?.lang ? request.lang : manage.participant.language;
        // The problems in the page's language: the same fields parsed again (parsing only; nothing runs).
        let fields = error.fields;
        if (pageLang !== request.lang) {
          try {
            parse(pageLang);
          } catch (again) {
            if (again instanceof RequestError) fields = again.fields;
          }
        }
        // What was typed comes back as typed (the details' name and organisation), not as stored.
        const typed = z.object({ name: z.string(), organisation: z.string() }).partial().catch({}).parse(fieldsAsPosted);
        return renderManage({ lang: pageLang, view: manage, token: posted.data.token, forumTimeZone: deps.forumTimeZone, errors: fields, typed }, 400);
      }
      return handle(body, request);
    };

  return {
    /**
     * The registrant's calendar feed, polled by calendar apps: `<feed token>.ics`. Answers 304 to a
     * conditional GET that still matches; `private, no-cache` so no shared cache keeps it and every poll
     * revalidates. A token of any other purpose, a signed-out or an erased one is a 404 to the app.
     */
    'GET /calendar/{file}': async ({ event, lang }) => {
      const file = event.pathParameters?.file ?? '';
      const claim = await claimOf(file.replace(/\.ics$/, ''), ['feed'], lang).catch(() => {
        throw new RequestError(404, 'not_found', t(lang, 'error.linkInvalid'));
      });
      const feed = await calendarFeed({ ...deps.feed, clock: deps.clock }, claim, event.queryStringParameters?.session);
      const headers = { etag: feed.etag, 'last-modified': feed.lastModified.toUTCString(), 'cache-control': 'private, no-cache' };
      if (notModified(feed, event.headers ?? {})) return { statusCode: 304, headers, body: '' };
      return { statusCode: 200, headers: { ...headers, 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'inline; filename="calendar.ics"' }, body: feed.body };
    },
    'GET /me': async ({ event, lang }) => {
      const token = event.queryStringParameters?.token;
      const participant = await liveParticipant(await claimOf(token, ['manage'], lang), lang);
      const manage = await view(participant.participantId, participant);
      if (!wantsHtml(event)) return json(200, manage);
      const pageLang = event.queryStringParameters?.lang ? lang : manage.participant.language;
      return renderManage({ lang: pageLang, view: manage, token: token!, forumTimeZone: deps.forumTimeZone, notice: event.queryStringParameters?.notice });
    },
    'GET /me/export': async ({ event, lang }) => {
      const participantId = await participantOf(event.queryStringParameters?.token, lang);
      const data = await exportData({ ...deps.exportData, clock: deps.clock }, participantId);
      return json(200, data, { 'content-disposition': `attachment; filename="convene-${participantId}.json"`, 'cache-control': 'no-store' });
    },
    'POST /me/cancel': manageForm(bodies.cancel, async (body, { event, lang }) => {
      const participantId = await participantOf(body.token, lang);
      if (wantsHtml(event) && body.confirmed !== 'yes') {
        const manage = await view(participantId);
        const registration = manage.registrations.find((r) => r.sessionId === body.sessionId && ACTIVE.has(r.status));
        if (!registration) throw new RequestError(404, 'not_found', t(lang, 'error.noActiveRegistration'));
        return renderCancelConfirm({ lang, token: body.token, registration, timeZone: manage.participant.timeZone });
      }
      if (!(await cancelRegistration(deps.lifecycle, participantId, body.sessionId, 'participant'))) {
        throw new RequestError(404, 'not_found', t(lang, 'error.noActiveRegistration'));
      }
      return done(event, body.token, participantId, 'cancelled');
    }),
    'POST /me/offers/accept': manageForm(bodies.accept, async (body, { event, lang }) => {
      const participantId = await participantOf(body.token, lang);
      await acceptOffer(deps.lifecycle, participantId, body.sessionId);
      return done(event, body.token, participantId, 'accepted');
    }),
    'POST /me/sessions': manageForm(
      bodies.add,
      async (body, { event, lang }) => {
        const participantId = await participantOf(body.token, lang);
        await addSessions(deps.addSessions, participantId, body.sessionIds, lang);
        return done(event, body.token, participantId, 'added');
      },
      ['sessionIds'],
    ),
    /** The manage link proves the address as well as the confirm link does: confirm every place still held. */
    'POST /me/confirm': async ({ event, lang }) => {
      const body = parseInput(bodies.signOut, readBody(event, lang), lang);
      const participantId = await participantOf(body.token, lang);
      const confirmed = await deps.confirmHolds(participantId);
      deps.logger.info('holds confirmed', { participantId, confirmed: confirmed.length });
      return done(event, body.token, participantId, confirmed.length ? 'confirmed' : 'nothingToConfirm');
    },
    'POST /me/preferences': manageForm(bodies.preferences, async (body, { event, lang }) => {
      const participantId = await participantOf(body.token, lang);
      await updatePreferences(deps.preferences, participantId, body);
      return done(event, body.token, participantId, 'preferences');
    }),
    'POST /me/details': manageForm(bodies.details, async (body, { event, lang }) => {
      const participantId = await participantOf(body.token, lang);
      await updateDetails(deps.preferences, participantId, body);
      return done(event, body.token, participantId, 'details');
    }),
    'POST /me/erase': manageForm(bodies.erase, async (body, { event, lang }) => {
      const participantId = await participantOf(body.token, lang);
      const result = await eraseParticipant(deps.erase, participantId);
      deps.logger.info('participant erased', { participantId, ...result });
      return wantsHtml(event) ? renderMessage(lang, 'erased') : json(200, { erased: true, ...result });
    }),
    /** RFC 8058 one-click unsubscribe: the mail client POSTs `List-Unsubscribe=One-Click` to this URL. */
    'POST /unsubscribe': async ({ event, lang }) => {
      // RFC 8058 clients post `List-Unsubscribe=One-Click` (urlencoded); anything else in the body is ignored.
      const body = z.record(z.string(), z.unknown()).catch({}).parse(event.body ? readBody(event, lang) : {});
      const claim = await claimOf(event.queryStringParameters?.token ?? body.token, UNSUBSCRIBE, lang);
      if (claim.purpose === 'unsubscribe') await liveSubject(claim, lang);
      const list = await unsubscribe(deps.unsubscribe, claim);
      deps.logger.info('unsubscribed', { list });
      return wantsHtml(event) && !body['List-Unsubscribe'] ? renderMessage(lang, 'unsubscribed') : json(200, { remindersOff: true });
    },
    /** The link itself only asks: a GET must never change anything (mail scanners follow links). */
    'GET /unsubscribe': async ({ event, lang }) => {
      const claim = await claimOf(event.queryStringParameters?.token, UNSUBSCRIBE, lang);
      if (claim.purpose === 'unsubscribe') await liveSubject(claim, lang);
      return renderUnsubscribeConfirm(lang, event.queryStringParameters!.token!);
    },
    /** "Sign out all my links": every link mailed so far stops working (a new one comes by "mail me my link"). */
    'POST /me/sign-out': async ({ event, lang }) => {
      const body = parseInput(bodies.signOut, readBody(event, lang), lang);
      const participantId = await participantOf(body.token, lang);
      await deps.links.signOutLinks(participantId);
      deps.logger.info('links signed out', { participantId });
      return wantsHtml(event) ? renderMessage(lang, 'signedOut') : json(200, { signedOut: true });
    },
    /**
     * "Mail me my link": the same answer whether or not the address is known (nothing to learn about it);
     * the link goes only to the address, within its hourly mail budget. Post/redirect/get for browsers.
     */
    'POST /me/link': async ({ event, lang }) => {
      const { email } = parseInput(bodies.link, readBody(event, lang), lang);
      const outcome = await mailManageLink(deps.mailLink, email);
      deps.logger.info('link requested', { mailed: outcome === 'mailed' });
      return wantsHtml(event) ? { statusCode: 303, headers: { location: `/me/link-sent?lang=${lang}` }, body: '' } : json(202, { accepted: true });
    },
    'GET /me/link-sent': async ({ lang }) => renderMessage(lang, 'linkSent'),
  };
}
