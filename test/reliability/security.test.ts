import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createTokenSigner } from '../../functions/identity/tokens.ts';
import { apiUrl, drain, futureSession, importSessions, mailedLink, mails, postJson, registrationBody } from '../support/api.ts';
import { TEST_TOKEN_SECRET } from '../support/runtime-process.ts';

const signer = createTokenSigner(TEST_TOKEN_SECRET);
const HOSTILE_NAME = '<script>alert("x")</script> Eve "Bcc: victim@example.org"';
const HOSTILE_ORG = '<img src=x onerror=alert(1)> & Co';

/**
 * The runtime's log once it holds `marker`, so that everything the runtime logged before the marker
 * has reached the file too; a bounded wait (10 s), polling every 50 ms.
 */
async function runtimeLogUpTo(marker: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = readFileSync(inject('runtimeLog'), 'utf8');
    if (log.includes(marker)) return log;
    if (Date.now() > deadline) throw new Error(`the runtime log (${inject('runtimeLog')}) has no "${marker}" after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('security', () => {
  it('refuses every admin route without a valid SigV4 signature', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/admin/sessions'],
      ['PUT', '/admin/sessions/x'],
      ['PATCH', '/admin/sessions/x'],
      ['POST', '/admin/sessions/x/reschedule'],
      ['POST', '/admin/sessions/x/cancel'],
      ['GET', '/admin/sessions/x/registrations'],
      ['GET', '/admin/sessions/x/deliveries'],
      ['POST', '/admin/registrations/p/s/approve'],
      ['POST', '/admin/participants/erase'],
    ];
    const forged = 'AWS4-HMAC-SHA256 Credential=CONVENELOCALKEY/20260101/eu-central-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=' + '0'.repeat(64);
    for (const [method, path] of routes) {
      for (const headers of [{}, { authorization: forged, 'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, '') }]) {
        const response = await fetch(`${apiUrl()}${path}`, { method, headers, ...(method === 'GET' ? {} : { body: '{}' }) });
        expect(response.status, `${method} ${path}`).toBe(403);
      }
    }
  });

  it('refuses tampered, expired and other-participant tokens with 403 or 404, changing nothing', async () => {
    const session = futureSession({ capacity: 5 });
    await importSessions(session);
    const [aBody, bBody] = [registrationBody([session.sessionId]), registrationBody([session.sessionId])];
    await postJson('/registrations', aBody);
    await postJson('/registrations', bBody);
    const aId = (await mailedLink(aBody.email)).participantId;
    const valid = (purpose: 'manage' | 'unsubscribe' | 'digest-opt-out' = 'manage') => signer.sign({ purpose, subject: aId, expiresAt: new Date(Date.now() + 86_400_000) });
    const expired = signer.sign({ purpose: 'manage', subject: aId, expiresAt: new Date(Date.now() - 1000) });
    const foreign = createTokenSigner('another-secret-another-secret-another').sign({ purpose: 'manage', subject: aId, expiresAt: new Date(Date.now() + 86_400_000) });
    // a reminder's unsubscribe token and an organiser's opt-out token open nothing on the manage routes
    for (const token of [expired, foreign, `${valid()}x`, valid('unsubscribe'), valid('digest-opt-out')]) {
      expect((await postJson('/me/cancel', { token, sessionId: session.sessionId }, { accept: 'application/json' })).status).toBe(403);
    }
    // A's valid token cannot touch B's registration: it only ever acts on A.
    const bToken = (await mailedLink(bBody.email)).token;
    const aToken = valid();
    await postJson('/me/cancel', { token: aToken, sessionId: session.sessionId }, { accept: 'application/json' });
    const bView = await fetch(`${apiUrl()}/me?token=${encodeURIComponent(bToken)}`, { headers: { accept: 'application/json' } });
    expect(((await bView.json()) as { registrations: Array<{ status: string }> }).registrations[0]!.status).toBe('confirmed');
  });

  it('escapes registrant text in every mail and page and keeps it out of mail headers', async () => {
    const session = futureSession({ capacity: 5 });
    await importSessions(session);
    const body = registrationBody([session.sessionId], { name: HOSTILE_NAME, organisation: HOSTILE_ORG, language: 'en' });
    const response = await postJson('/registrations', body);
    expect(response.status).toBe(201);
    await drain();
    const received = await mails(body.email);
    expect(received.length).toBeGreaterThan(0);
    for (const mail of received) {
      expect(mail.body.html).not.toContain('<script>');
      expect(mail.body.html).not.toContain('<img src=x');
      expect(mail.body.html).toContain('&lt;script&gt;');
      expect(mail.subject).not.toContain('Eve');
      for (const header of mail.headers ?? []) expect(header.value).not.toContain('Eve');
    }
    const { token } = await mailedLink(body.email);
    const page = await (await fetch(`${apiUrl()}/me?token=${encodeURIComponent(token)}`, { headers: { accept: 'text/html' } })).text();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
  });

  it('writes no email address or registrant name to the logs of the whole run', async () => {
    const session = futureSession({ capacity: 5 });
    await importSessions(session);
    const body = registrationBody([session.sessionId], { name: 'Zbigniew Loggable', email: 'zbigniew.loggable@example.org' });
    await postJson('/registrations', body);
    await postJson('/registrations', registrationBody([session.sessionId, 'no-such-session'], { name: 'Zbigniew Loggable', email: 'zbigniew.loggable@example.org' }));
    await postJson('/registrations', { ...body, email: 'zbigniew.loggable@example' });
    await drain();
    // A last registration after everything settled: its answer mail's consumer logs the participant id,
    // so once that id is in the file, so is every line logged by the requests above.
    const lastBody = registrationBody([session.sessionId]);
    expect((await postJson('/registrations', lastBody)).status).toBe(201);
    const log = await runtimeLogUpTo((await mailedLink(lastBody.email)).participantId);
    expect(log.length).toBeGreaterThan(1000);
    expect(log).not.toContain('Zbigniew');
    expect(log).not.toContain('zbigniew.loggable');
    expect(log).not.toMatch(/[A-Za-z0-9._%+-]+@example\.org/);
  });
});
