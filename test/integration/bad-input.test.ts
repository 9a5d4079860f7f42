import { describe, expect, it } from 'vitest';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { apiUrl, drain, futureSession, importSessions, mails, postJson, registrationBody } from '../support/api.ts';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DRAFT_MINUTES, DynamoFormDrafts } from '../../functions/intake/form-drafts.ts';
import { testDocumentClient } from '../support/seed.ts';

const session = futureSession({ capacity: 10 });
const ended = futureSession({ startsAt: '2020-01-01T09:00:00+00:00', endsAt: '2020-01-01T10:00:00+00:00' });

async function seatsLeft() {
  const { sessions } = (await (await fetch(`${apiUrl()}/sessions`)).json()) as { sessions: Array<{ sessionId: string; seatsLeft: number }> };
  return sessions.find((s) => s.sessionId === session.sessionId)?.seatsLeft;
}

type ErrorBody = { error: { code: string; message: string; fields: Array<{ field: string; message: string }> } };

const cases: Array<[string, Record<string, unknown>, string[]]> = [
  ['a missing name', { name: undefined }, ['name']],
  ['an empty name', { name: '   ' }, ['name']],
  ['a name over 200 characters', { name: 'n'.repeat(201) }, ['name']],
  ['a line break in the name', { name: 'Eve\r\nBcc: victim@example.org' }, ['name']],
  ['an invalid email', { email: 'amina.example.org' }, ['email']],
  ['an email with a display name', { email: 'Amina <amina@example.org>' }, ['email']],
  ['an email with two @', { email: 'a@b@example.org' }, ['email']],
  ['an unknown time zone', { timeZone: 'Europe/Atlantis' }, ['timeZone']],
  ['an unknown country', { country: 'XX' }, ['country']],
  ['an unknown language', { language: 'de' }, ['language']],
  ['an unknown stakeholder type', { stakeholderType: 'lobbyist' }, ['stakeholderType']],
  ['consent not given', { consent: false }, ['consent']],
  ['more than 20 sessions', { sessionIds: Array.from({ length: 21 }, (_, i) => `s${i}`) }, ['sessionIds']],
  ['a session chosen twice', { sessionIds: [session.sessionId, session.sessionId] }, ['sessionIds']],
  ['no session', { sessionIds: [] }, ['sessionIds']],
  ['an unknown field', { role: 'admin' }, ['role']],
  ['a wrong type', { sessionIds: 'all' }, ['sessionIds']],
];

describe('bad input is refused with field-level errors and nothing is stored', () => {
  it.each(cases)('answers 400 for %s', async (_label, overrides, fields) => {
    await importSessions(session);
    const body = registrationBody([session.sessionId], overrides);
    const response = await postJson('/registrations', body);
    expect(response.status).toBe(400);
    expect((response.body as unknown as ErrorBody).error.fields.map((f) => f.field)).toEqual(fields);
    expect(await seatsLeft()).toBe(10);
  });

  it('writes field messages in the language of the request', async () => {
    const response = await postJson('/registrations', registrationBody([session.sessionId], { language: 'ru', consent: false }));
    expect((response.body as unknown as ErrorBody).error.fields[0]!.message).toBe('Для регистрации необходимо согласие на обработку данных.');
  });

  it('answers 413 for a body over 64 KB', async () => {
    const response = await postJson('/registrations', registrationBody([session.sessionId], { organisation: 'x'.repeat(70_000) }));
    expect(response.status).toBe(413);
  });

  it('answers 415 for an unsupported content type and 400 for malformed JSON', async () => {
    const text = await fetch(`${apiUrl()}/registrations`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(text.status).toBe(415);
    const malformed = await postJson('/registrations', '{"name": ');
    expect(malformed.status).toBe(400);
  });

  it('answers 422 for an unknown session and 409 for an ended or cancelled one, naming it', async () => {
    await importSessions(session, ended);
    const unknown = await postJson('/registrations', registrationBody([session.sessionId, 'no-such-session']));
    expect(unknown.status).toBe(422);
    expect((unknown.body as unknown as ErrorBody).error.message).toContain('no-such-session');
    const closed = await postJson('/registrations', registrationBody([ended.sessionId]));
    expect(closed.status).toBe(409);
    expect(await seatsLeft()).toBe(10);
  });

  it('sends no mail for refused submissions', async () => {
    const body = registrationBody([session.sessionId], { consent: false });
    await postJson('/registrations', body);
    await drain();
    expect(await mails(body.email)).toHaveLength(0);
  });

  it('refuses a programme session whose end is before its start', async () => {
    const bad = futureSession();
    await expect(adminClient(apiUrl())('PUT', `/admin/sessions/${bad.sessionId}`, { ...bad, endsAt: bad.startsAt })).rejects.toThrow(/endsAt/);
  });
});

describe('every page a browser can reach is Convene’s', () => {
  it('answers an unknown address with the site’s 404 page in the browser’s language, and JSON to an API client', async () => {
    const page = await fetch(`${apiUrl()}/no-such-page`, { headers: { accept: 'text/html', 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    expect(html).toContain('<html lang="zh"');
    expect(html).toContain('未找到页面');
    const api = await fetch(`${apiUrl()}/no-such-page`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
  });

  it('answers a form posted to a page with 405, its Allow header and a page in the form’s language', async () => {
    const page = await fetch(`${apiUrl()}/?lang=ar`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=x' });
    expect(page.status).toBe(405);
    expect(page.headers.get('allow')).toBe('GET');
    expect(await page.text()).toContain('هذا العنوان لا يقبل هذا الطلب');
  });

  it('answers a form over 64 KB with the form again, saying why, in its language (not a generic error)', async () => {
    const page = await fetch(`${apiUrl()}/registrations?lang=fr`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: `name=${'x'.repeat(70_000)}` });
    expect(page.status).toBe(413);
    const html = await page.text();
    expect(html).toContain('La requête est trop volumineuse (64 Ko au plus).');
    expect(html).toContain('<form method="post" action="/registrations"');
  });
});

describe('a refused form, kept for the page that shows it again (Post/Redirect/Get)', () => {
  it('redirects a browser to GET /?draft=…, which shows what was typed with its problems in any language, for an hour only', async () => {
    // Act: a browser's refused form.
    const posted = await fetch(`${apiUrl()}/registrations?lang=es`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ name: 'Lucía Pérez', email: 'no-es-correo', organisation: 'UIT' }).toString(),
      redirect: 'manual',
    });
    // Assess
    expect(posted.status).toBe(303);
    expect(posted.headers.get('cache-control')).toBe('no-store');
    const location = posted.headers.get('location')!;
    const id = new URL(location, apiUrl()).searchParams.get('draft')!;
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const shown = await fetch(`${apiUrl()}${location}`, { headers: { accept: 'text/html' } });
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const page = await shown.text();
    expect(page).toContain('value="Lucía Pérez"');
    expect(page).toContain('lang="es"');
    // In French, the same values and the problems worded in French.
    const french = await (await fetch(`${apiUrl()}/?lang=fr&draft=${id}`, { headers: { accept: 'text/html' } })).text();
    expect(french).toContain('value="no-es-correo"');
    expect(french).toContain('lang="fr"');
    expect(french).toContain('Saisissez une adresse électronique');
    // API clients still get 400 with the fields, and no redirect.
    expect((await postJson('/registrations', { name: 'x' })).status).toBe(400);
    // The item holds ciphertext only; the key is in the URL: the same lookup with another key reads nothing.
    const lookup = Buffer.from(id, 'base64url').subarray(0, 16);
    const { Item } = await testDocumentClient().send(new GetCommand({ TableName: 'convene', Key: { pk: `DRAFT#${lookup.toString('base64url')}`, sk: 'DRAFT' } }));
    expect(JSON.stringify(Item)).not.toContain('Lucía');
    const forged = Buffer.concat([lookup, Buffer.alloc(16)]).toString('base64url');
    expect(await (await fetch(`${apiUrl()}/?lang=fr&draft=${forged}`)).text()).not.toContain('no-es-correo');
    // An expired draft is gone.
    const drafts = new DynamoFormDrafts(testDocumentClient(), 'convene');
    expect(await drafts.read(id, new Date(Date.now() + (DRAFT_MINUTES + 1) * 60_000))).toBeUndefined();
    expect(await drafts.read(id, new Date())).toMatchObject({ values: { name: 'Lucía Pérez' } });
  });
});
