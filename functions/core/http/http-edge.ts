import type { MiddlewareObj } from '@middy/core';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { RequestError } from '../errors.ts';
import { t } from '../i18n/messages.ts';
import { language as languageSchema, languages, type Language } from '../model.ts';

export type HttpResult = APIGatewayProxyStructuredResultV2;

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * HTML pages: never cached by shared caches (they may carry a manage token), framed by nobody. A page
 * that carries nothing personal may say otherwise in `headers` (the registration page: a few seconds in
 * CloudFront, infra/constructs/front-door.ts).
 */
export function htmlPage(statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
      ...headers,
    },
    body,
  };
}

/**
 * The headers of an answer that carries nothing personal and may be kept a few seconds by CloudFront
 * (infra/constructs/front-door.ts), per language and Accept: the registration page and the programme.
 */
export const PUBLIC_BRIEFLY = { 'cache-control': 'public, max-age=5', vary: 'Accept-Language, Accept' } as const;

/** Browsers (form posts, links from mail) get HTML; API clients asking for JSON get JSON. */
export function wantsHtml(event: APIGatewayProxyEventV2): boolean {
  const accept = event.headers.accept ?? '';
  if (accept.includes('application/json')) return false;
  return accept.includes('text/html') || (event.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body) };
}

/** `?lang=` first, then the best Accept-Language match among the six languages, else English. */
export function requestLanguage(event: APIGatewayProxyEventV2): Language {
  const fromQuery = languageSchema.safeParse(event.queryStringParameters?.lang);
  if (fromQuery.success) return fromQuery.data;
  const accepted = (event.headers['accept-language'] ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1);
      return { base: tag.toLowerCase().split('-')[0] ?? '', q: Number.isFinite(q) ? q : 0 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return (accepted.map((entry) => entry.base).find((base) => (languages as readonly string[]).includes(base)) as Language) ?? 'en';
}

/**
 * Reads a JSON or urlencoded body, at most 64 KB. Urlencoded fields become strings, and fields named in
 * `arrays` become arrays (repeated form fields). Throws RequestError 413/415/400 with a localised message.
 */
export function readBody(event: APIGatewayProxyEventV2, lang: Language, arrays: readonly string[] = []): unknown {
  const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8')) : Buffer.alloc(0);
  if (raw.length > MAX_BODY_BYTES) throw new RequestError(413, 'body_too_large', t(lang, 'error.bodyTooLarge'));
  const type = (event.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  // Invalid UTF-8 is refused rather than silently replaced, so stored text is exactly what was sent.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new RequestError(400, 'malformed_body', t(lang, 'error.malformedBody'));
  }
  if (type === 'application/json') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RequestError(400, 'malformed_body', t(lang, 'error.malformedBody'));
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(text);
    const body: Record<string, string | string[]> = {};
    for (const key of new Set(params.keys())) body[key] = arrays.includes(key) ? params.getAll(key) : params.get(key)!;
    return body;
  }
  throw new RequestError(415, 'unsupported_media_type', t(lang, 'error.contentType'));
}

/**
 * The HTTP edge of every API handler: maps RequestError to its 4xx with field-level details, logs and
 * hides everything else behind a 500 whose body reveals no internals.
 */
export function httpEdge(
  logger: Logger,
  /** For browser requests: the page to show for an error (a 403 link page, a 500 page), if any. */
  errorPage?: (lang: Language, statusCode: number) => string,
): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  const onError: MiddlewareObj<APIGatewayProxyEventV2, HttpResult>['onError'] = async (request) => {
    const error = request.error;
    const lang = requestLanguage(request.event);
    const page = errorPage && wantsHtml(request.event);
    if (error instanceof RequestError) {
      logger.info('request refused', { statusCode: error.statusCode, code: error.code, fields: error.fields.map((f) => f.field) });
      request.response = page
        ? htmlPage(error.statusCode, errorPage(lang, error.statusCode))
        : json(error.statusCode, { error: { code: error.code, message: error.message, fields: error.fields } });
      return;
    }
    logger.error('request failed', { error });
    request.response = page ? htmlPage(500, errorPage(lang, 500)) : json(500, { error: { code: 'internal_error', message: t(lang, 'error.internal') } });
  };
  return { onError };
}
