import { describe, expect, it, inject } from 'vitest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createTokenSigner, parseTokenKeys } from '../../functions/identity/tokens.ts';
import { rotateTokenKey } from '../../infra/cli/rotate-token-key.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, TOKEN_SECRET_ID } from '../../infra/local/settings.ts';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { TEST_TOKEN_SECRET } from '../support/runtime-process.ts';
import { apiUrl, drain, futureSession, importSessions, mailAbout, mailedLink, mails, mimeParts, postJson, rawMail, registrationBody, runSchedule } from '../support/api.ts';

const admin = () => adminClient(apiUrl());
const asJson = { accept: 'application/json' };

async function registered(overrides: Record<string, unknown> = {}) {
  const session = futureSession();
  await importSessions(session);
  const body = registrationBody([session.sessionId], { language: 'en', timeZone: 'Africa/Dakar', ...overrides });
  const response = await postJson('/registrations', body);
  expect(response.status).toBe(201);
  const answer = await mailedLink(body.email);
  return { session, email: body.email, answer, token: answer.token };
}

async function manageView(token: string) {
  const response = await fetch(`${apiUrl()}/me?token=${encodeURIComponent(token)}`, { headers: asJson });
  return { status: response.status, body: (await response.json()) as { participant: { participantId: string; language: string; timeZone: string; remindersOff?: boolean } } };
}

describe('the manage link’s preferences', () => {
  it('changes language, time zone and reminders from the form, redirects back to the page, and shows them', async () => {
    // Prepare
    const { token } = await registered();

    // Act: the manage page's form, as a browser posts it (reminders unticked: absent from the form)
    const form = new URLSearchParams({ token, language: 'fr', timeZone: 'America/Montreal' });
    const response = await fetch(`${apiUrl()}/me/preferences`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: form.toString(),
      redirect: 'manual',
    });

    // Assess
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/me?token=${encodeURIComponent(token)}&notice=preferences`);
    const { body } = await manageView(token);
    expect(body.participant).toMatchObject({ language: 'fr', timeZone: 'America/Montreal', remindersOff: true });
  });

  it('refuses an unknown time zone field by field and changes nothing', async () => {
    const { token } = await registered();
    const response = await postJson('/me/preferences', { token, language: 'es', timeZone: 'Mars/Olympus_Mons', reminders: true }, asJson);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('timeZone');
    expect((await manageView(token)).body.participant).toMatchObject({ language: 'en', timeZone: 'Africa/Dakar' });
  });
});

describe('the manage link’s details', () => {
  it('corrects the name and organisation from the form (the address stays), refuses a disguised name at its field, and the next mails use the new name', async () => {
    // Prepare
    const { token, email, session } = await registered();
    const post = (fields: Record<string, string>) =>
      fetch(`${apiUrl()}/me/details`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams({ token, ...fields }).toString(), redirect: 'manual' });
    // Act
    const saved = await post({ name: 'Aminata Diallo-Sow', organisation: 'Ministère de l’Économie numérique' });
    const refused = await post({ name: 'Amina\u202eDiallo', organisation: 'X' });
    // Assess
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(`/me?token=${encodeURIComponent(token)}&notice=details`);
    expect(refused.status).toBe(400);
    const page = await refused.text();
    // The refused name comes back as typed, marked at its field.
    expect(page).toMatch(/<input type="text" id="details-name" name="name" value="Amina\u202eDiallo"[^>]*aria-invalid="true"/);
    const view = (await (await fetch(`${apiUrl()}/me?token=${encodeURIComponent(token)}`, { headers: asJson })).json()) as { participant: { name: string; organisation: string; email: string } };
    expect(view.participant).toMatchObject({ name: 'Aminata Diallo-Sow', organisation: 'Ministère de l’Économie numérique', email });
    // API clients get the same refusal as JSON, and no field but these two is taken.
    expect((await postJson('/me/details', { token, name: 'A', organisation: 'B', email: 'other@example.org' }, asJson)).status).toBe(400);
    expect((await postJson('/me/cancel', { token, sessionId: session.sessionId }, asJson)).status).toBe(200);
    await drain();
    expect((await mails(email)).at(-1)!.body.text).toContain('Aminata Diallo-Sow');
  });
});

/** A manage-page form as a browser posts it (urlencoded, asking for HTML, redirects not followed). */
const postForm = (path: string, fields: Record<string, string>) =>
  fetch(`${apiUrl()}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
const statusIn = async (token: string, sessionId: string) =>
  ((await (await fetch(`${apiUrl()}/me?token=${encodeURIComponent(token)}`, { headers: asJson })).json()) as { registrations: Array<{ sessionId: string; status: string }> }).registrations.find((r) => r.sessionId === sessionId)?.status;

describe('irreversible changes on the manage page ask first, and a refused form comes back as the page', () => {
  it('shows what a cancellation gives up and changes nothing until it is confirmed, then redirects back', async () => {
    const { token, session } = await registered();
    const asked = await postForm('/me/cancel?lang=fr', { token, sessionId: session.sessionId });
    expect(asked.status).toBe(200);
    const page = await asked.text();
    expect(page).toContain('Annuler votre inscription ?');
    expect(page).toContain('Votre place revient aussitôt à la personne suivante');
    expect(page).toContain('<input type="hidden" name="confirmed" value="yes">');
    expect(await statusIn(token, session.sessionId)).toBe('confirmed');
    const done = await postForm('/me/cancel?lang=fr', { token, sessionId: session.sessionId, confirmed: 'yes' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/me?token=${encodeURIComponent(token)}&notice=cancelled&lang=fr`);
    expect(await statusIn(token, session.sessionId)).toBe('cancelled');
  });

  it('answers Add with nothing ticked, and Erase without the tick, with the manage page, the problem at its field, in the page language', async () => {
    const { token, session } = await registered({ language: 'ar' });
    const add = await postForm('/me/sessions', { token });
    expect(add.status).toBe(400);
    const addPage = await add.text();
    expect(addPage).toContain('<html lang="ar"');
    expect(addPage).toContain('اختر جلسة واحدة على الأقل.');
    const erase = await postForm('/me/erase?lang=zh', { token });
    expect(erase.status).toBe(400);
    const erasePage = await erase.text();
    expect(erasePage).toContain('<html lang="zh"');
    expect(erasePage).toContain('<a href="#erase-confirm">请勾选此框以确认。</a>');
    expect(erasePage).not.toContain('Something went wrong');
    expect(await statusIn(token, session.sessionId)).toBe('confirmed');
  });
});

describe('the reminder unsubscribe link', () => {
  it('only asks on GET (a mail scanner following it changes nothing); the button’s POST stops reminders', async () => {
    // Prepare: the unsubscribe token a reminder carries (its own purpose), signed as the runtime signs
    const { token, answer } = await registered();
    const unsubscribeToken = createTokenSigner(TEST_TOKEN_SECRET).sign({ purpose: 'unsubscribe', subject: answer.participantId, expiresAt: new Date(Date.now() + 86_400_000) });
    const url = `${apiUrl()}/unsubscribe?token=${encodeURIComponent(unsubscribeToken)}`;
    // the manage link's token is not an unsubscribe token, and the unsubscribe token opens no manage page
    expect((await fetch(`${apiUrl()}/unsubscribe?token=${encodeURIComponent(token)}`, { headers: { accept: 'text/html' } })).status).toBe(403);
    expect((await manageView(unsubscribeToken)).status).toBe(403);

    // Act: a GET, as a link scanner would
    const page = await fetch(url, { headers: { accept: 'text/html' } });

    // Assess: a page with a form that posts back to the same link; reminders still on
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/unsubscribe?token=');
    expect((await manageView(token)).body.participant.remindersOff).not.toBe(true);

    // Act: the button
    const post = await fetch(url, { method: 'POST', headers: { accept: 'text/html' } });
    expect(post.status).toBe(200);
    expect((await manageView(token)).body.participant.remindersOff).toBe(true);
  });

  it('answers a forged link with 403 and its page', async () => {
    const response = await fetch(`${apiUrl()}/unsubscribe?token=forged.token`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toContain('text/html');
  });
});

describe('organisers', () => {
  it('an organiser’s one-click unsubscribe from the digest stops it for that address only', async () => {
    // Prepare: a digest to both organisers, far in the future so no other test's digest day collides
    const day = new Date(Date.UTC(2031, 0, 15, 7));
    await runSchedule('digest', day);
    const digestsTo = async (to: string) => (await mails(to)).filter((m) => m.subject.startsWith('Convene digest')).length;
    const first = (await mails('programme-office@example.org')).filter((m) => m.subject.startsWith('Convene digest')).at(-1)!;
    const header = String((await mimeParts(await rawMail(first.messageId))).header('List-Unsubscribe'));
    const unsubscribeUrl = header.slice(1, -1).replace(/^https?:\/\/[^/]+/, apiUrl());
    const [officeBefore, othersBefore] = [await digestsTo('programme-office@example.org'), await digestsTo('organisers@example.org')];

    // Act: RFC 8058 one-click POST, then the next day's digest
    const post = await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    await runSchedule('digest', new Date(day.getTime() + 86_400_000));

    // Assess
    expect(post.status).toBe(200);
    expect(await digestsTo('programme-office@example.org')).toBe(officeBefore);
    expect(await digestsTo('organisers@example.org')).toBe(othersBefore + 1);
  });

  it('erase a registrant by address: seats freed, the erasure mail sent, the manage link gone, the export without personal data', async () => {
    // Prepare
    const { session, email, answer, token } = await registered({ name: 'Li Wei', organisation: 'Tsinghua University' });

    // Act
    const erased = await admin()('POST', '/admin/participants/erase', { email });
    await drain();

    // Assess
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ participantId: answer.participantId, cancelled: 1 });
    expect((await mailAbout(email, 'erased')).subject).toBe('Your data has been erased');
    expect((await manageView(token)).status).toBe(410);
    const csv = (await admin()('GET', `/admin/sessions/${session.sessionId}/registrations`)).body as string;
    expect(csv).toContain(answer.participantId);
    expect(csv).not.toContain('Li Wei');
    expect(csv).not.toContain(email);
    const sessions = (await admin()('GET', '/admin/sessions')).body as { sessions: Array<{ sessionId: string; seatsTaken: number }> };
    expect(sessions.sessions.find((s) => s.sessionId === session.sessionId)?.seatsTaken).toBe(0);
    await expect(admin()('POST', '/admin/participants/erase', { email })).rejects.toMatchObject({ status: 404 });
  });

  it('erasing an address nobody has answers 404', async () => {
    await expect(admin()('POST', '/admin/participants/erase', { email: 'nobody-here@example.org' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('rotating the link-signing key', () => {
  it('keeps links already mailed working, accepts links of the new key, and refuses a token signed by no held key', async () => {
    // Prepare: a registrant whose mailed link was signed before the rotation
    const { token: before } = await registered();
    const client = new SecretsManagerClient({ endpoint: inject('awsUrl'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

    // Act: npm run admin -- rotate-token-key, against the runtime's secret
    const rotated = await rotateTokenKey(client, TOKEN_SECRET_ID);

    // Assess
    const keys = parseTokenKeys((await client.send(new GetSecretValueCommand({ SecretId: TOKEN_SECRET_ID }))).SecretString!);
    expect(keys.current.id).toBe(rotated.currentId);
    expect(keys.previous?.id).toBe(rotated.previousId);
    expect((await manageView(before)).status).toBe(200);
    const { participantId } = (await manageView(before)).body.participant;
    const signedNow = createTokenSigner(keys).sign({ purpose: 'manage', subject: participantId, expiresAt: new Date(Date.now() + 86_400_000) });
    expect((await manageView(signedNow)).status).toBe(200);
    const stranger = createTokenSigner({ current: { id: 'k99', secret: 'z'.repeat(48) } }).sign({ purpose: 'manage', subject: participantId, expiresAt: new Date(Date.now() + 86_400_000) });
    expect((await manageView(stranger)).status).toBe(403);
  });
});
