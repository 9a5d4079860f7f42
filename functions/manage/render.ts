import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from '../shared/http/http-edge.ts';
import type { Language } from '../shared/model.ts';
import type { ManageView } from '../shared/registration/manage-view.ts';

/** Browsers (form posts, links from mail) get HTML; API clients asking for JSON get JSON. */
export function wantsHtml(event: APIGatewayProxyEventV2): boolean {
  const accept = event.headers.accept ?? '';
  if (accept.includes('application/json')) return false;
  return accept.includes('text/html') || (event.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

export function renderManage(input: { lang: Language; view: ManageView; token: string; forumTimeZone: string; notice?: string | undefined }): HttpResult {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input.view),
  };
}

export function renderMessage(lang: Language, kind: 'unsubscribed' | 'erased'): HttpResult {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: kind, lang }) };
}

export function renderUnsubscribeConfirm(lang: Language, token: string): HttpResult {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ confirm: 'POST to this URL to stop reminders', lang, tokenLength: token.length }) };
}
