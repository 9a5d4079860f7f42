import { t } from '../i18n/messages.ts';
import { errorPageFor } from '../pages/error-pages.ts';
import { htmlPage, json, wantsHtml, type HttpResult } from './http-edge.ts';
import type { Routes } from './http-function.ts';

/** A route path (`/admin/sessions/{sessionId}`) as a pattern of the paths it takes. */
const pathPattern = (path: string) => new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`);

/**
 * The `$default` route (every request no route of the API matches): the site's own page, not API
 * Gateway's `{"message":"Not Found"}`. A path the API has for other methods is a 405 with `Allow`
 * (a form posted to a page, a link to a form's target); any other is a 404. HTML to browsers, JSON to API
 * clients, in the request's language. `routeKeys` are the API's routes (`GET /me POST /me/cancel …`).
 */
export function defaultRoute(routeKeys: string): Routes {
  const keys = routeKeys.split(' ').reduce<Array<{ method: string; pattern: RegExp }>>((all, part, index, parts) => {
    if (index % 2 === 0 && parts[index + 1]) all.push({ method: part, pattern: pathPattern(parts[index + 1]!) });
    return all;
  }, []);
  return {
    $default: async ({ event, lang }): Promise<HttpResult> => {
      const path = event.rawPath;
      const allowed = [...new Set(keys.filter((key) => key.pattern.test(path)).map((key) => key.method))];
      const status = allowed.length > 0 ? 405 : 404;
      const headers: Record<string, string> = allowed.length > 0 ? { allow: allowed.join(', ') } : {};
      if (wantsHtml(event)) return htmlPage(status, errorPageFor(lang, status), headers);
      const error =
        status === 405
          ? { code: 'method_not_allowed', message: t(lang, 'error.methodNotAllowed', { method: event.requestContext.http.method, allowed: allowed.join(', ') }) }
          : { code: 'not_found', message: t(lang, 'error.notFound') };
      return json(status, { error }, headers);
    },
  };
}
