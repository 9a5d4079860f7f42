import type { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import { RequestError } from '../core/errors.ts';
import { htmlPage, json, readBody, wantsHtml, type HttpResult } from '../core/http/http-edge.ts';
import type { Routes } from '../core/http/http-function.ts';
import { parseInput } from '../core/http/validate.ts';
import { isTimeZone, language, type Language, type Session } from '../core/model.ts';
import { toSessionView } from '../core/sessions-view.ts';
import { answerPage } from './answer-page.ts';
import { registrationPage } from './registration-page.ts';
import { formValues, fromForm, registrationRequest, type RegistrationRequest } from './registration-request.ts';
import type { FormDrafts } from './form-drafts.ts';
import type { SubmissionAnswer } from './registration-store.ts';

export type RegisterDeps = {
  logger: Logger;
  forumTimeZone: string;
  clock: { now(): Date };
  sessions: { listSessions(): Promise<Session[]> };
  submit(request: RegistrationRequest, options: { lang: Language; idempotencyKey?: string }): Promise<SubmissionAnswer>;
  /** Where a browser's refused form waits for the page that shows it again (Post/Redirect/Get). */
  drafts: Pick<FormDrafts, 'save'>;
};


/**
 * POST /registrations: validates, stores in one transaction, answers 201 with each session's status, as
 * JSON, or as the answer page for the registration form (which gets itself back, filled in, when refused).
 */
export function registerRoutes(deps: RegisterDeps): Routes {
  const sessionViews = async () => (await deps.sessions.listSessions()).map((session) => toSessionView(session, deps.clock.now()));

  /**
   * A refused form comes back filled in, with the problems next to their fields, in the visitor's
   * language. Refused for its fields (400, which the page can word again in any language from the values
   * alone): Post/Redirect/Get, kept as a draft, then `303` to `GET /?draft=…`, so Back, Forward and the
   * language links never post it again and never lose what was typed. Refused for anything else (a
   * session that closed meanwhile, the hourly mail budget, a form too large): shown at once, as before.
   */
  const refusedForm = async (error: RequestError, lang: Language, values: Record<string, string | string[]>): Promise<HttpResult> => {
    if (error.statusCode === 400 && error.fields.length > 0) {
      const id = await deps.drafts.save(values, deps.clock.now());
      return { statusCode: 303, headers: { location: `/?lang=${lang}&draft=${id}`, 'cache-control': 'no-store' }, body: '' };
    }
    const zone = typeof values.timeZone === 'string' && isTimeZone(values.timeZone) ? values.timeZone : deps.forumTimeZone;
    const page = registrationPage({ lang, sessions: await sessionViews(), forumTimeZone: deps.forumTimeZone, displayTimeZone: zone, values, errors: error.fields, message: error.message });
    return htmlPage(error.statusCode, page);
  };

  return {
    'POST /registrations': async ({ event, lang: requested }) => {
      let lang = requested;
      const isForm = (event.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
      let raw: unknown;
      try {
        raw = readBody(event, lang, ['sessionIds']);
        const declared = z.object({ language }).safeParse(raw);
        if (declared.success && !event.queryStringParameters?.lang) lang = declared.data.language;
        const form = formValues.safeParse(raw);
        const request = parseInput(registrationRequest, isForm && form.success ? fromForm(form.data) : raw, lang);
        const idempotencyKey = event.headers['idempotency-key']?.slice(0, 200);
        const answer = await deps.submit(request, { lang, ...(idempotencyKey ? { idempotencyKey } : {}) });
        deps.logger.info('registration stored', { sessions: answer.sessions.map((s) => s.status) });
        if (!wantsHtml(event)) return json(201, answer, { 'cache-control': 'no-store' });
        const views = new Map((await sessionViews()).map((view) => [view.sessionId, view]));
        return htmlPage(201, answerPage({ lang, answer, sessions: views, timeZone: request.timeZone, forumTimeZone: deps.forumTimeZone }));
      } catch (error) {
        if (!wantsHtml(event) || !(error instanceof RequestError) || error.statusCode >= 500) throw error;
        deps.logger.info('form refused', { statusCode: error.statusCode, fields: error.fields.map((f) => f.field) });
        return refusedForm(error, lang, formValues.catch({}).parse(raw));
      }
    },
  };
}
