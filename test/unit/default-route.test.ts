import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { defaultRoute } from '../../functions/core/http/default-route.ts';
import type { Language } from '../../functions/core/model.ts';
import { routeKeys } from '../../infra/topology.ts';

const route = defaultRoute(routeKeys).$default!;

function request(method: string, path: string, accept: string): APIGatewayProxyEventV2 {
  return { rawPath: path, headers: { accept }, requestContext: { http: { method } } } as unknown as APIGatewayProxyEventV2;
}
const answer = (method: string, path: string, lang: Language, accept = 'text/html') => route({ event: request(method, path, accept), lang });

describe('the $default route (every request no route matches)', () => {
  it('answers a browser the site’s own 404 page, in the request’s language', async () => {
    for (const [lang, title] of [['en', 'Page not found'], ['ar', 'الصفحة غير موجودة'], ['zh', '未找到页面']] as const) {
      const result = await answer('GET', '/no-such-page', lang);
      expect(result.statusCode).toBe(404);
      expect(result.headers?.['content-type']).toBe('text/html; charset=utf-8');
      expect(result.body).toContain(`<html lang="${lang}"`);
      expect(result.body).toContain(title);
    }
  });

  it('answers 405 with Allow for a path the API has under other methods, a page to browsers, JSON to API clients', async () => {
    const page = await answer('GET', '/registrations', 'fr');
    expect(page.statusCode).toBe(405);
    expect(page.headers?.allow).toBe('POST');
    expect(page.body).toContain('Cette adresse n’accepte pas cette requête');
    const both = await answer('DELETE', '/confirm', 'en', 'application/json');
    expect(both.statusCode).toBe(405);
    expect(both.headers?.allow).toBe('GET, POST');
    expect(JSON.parse(String(both.body))).toEqual({ error: { code: 'method_not_allowed', message: 'This address does not take DELETE requests. It takes: GET, POST.' } });
    // A path with a parameter matches its pattern only.
    expect((await answer('DELETE', '/admin/sessions/s-1', 'en', 'application/json')).headers?.allow).toBe('PUT, PATCH');
    expect((await answer('GET', '/admin/sessions/s-1/elsewhere', 'en', 'application/json')).statusCode).toBe(404);
  });

  it('answers API clients JSON for an unknown path', async () => {
    const result = await answer('GET', '/nope', 'es', 'application/json');
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(String(result.body))).toEqual({ error: { code: 'not_found', message: 'No encontrado.' } });
  });
});
