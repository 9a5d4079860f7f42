import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTokenSigner } from '../../functions/identity/tokens.ts';
import { hashEmail } from '../../functions/core/store/keys.ts';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { apiUrl, drain, futureSession, importSessions, mailedLink, mails, postJson, registrationBody, uniqueId } from '../support/api.ts';
import { TEST_TOKEN_SECRET } from '../support/runtime-process.ts';
import { testDocumentClient } from '../support/seed.ts';

/**
 * A stranger who knows a registrant's address and the public API. Each attack states what it tries and
 * checks that nothing got through; the summary line counts them. The budget is the runtime's default
 * (MAIL_BUDGET_PER_HOUR, 3 mails an hour to one address from public actions).
 */
const BUDGET = 3;
const signer = createTokenSigner(TEST_TOKEN_SECRET);
const inADay = () => new Date(Date.now() + 86_400_000);
const asJson = { accept: 'application/json' };
const results: Array<{ attack: string; gotThrough: boolean }> = [];
let mailsToThirdParty = 0;

async function attack(name: string, run: () => Promise<boolean>) {
  const gotThrough = await run();
  results.push({ attack: name, gotThrough });
  expect(gotThrough, name).toBe(false);
}

const get = (path: string, headers: Record<string, string> = asJson) => fetch(`${apiUrl()}${path}`, { headers });
const manageStatus = async (token: string) => (await get(`/me?token=${encodeURIComponent(token)}`)).status;

describe('identity: only the owner of an address controls its registrations', () => {
  it('resists a stranger who knows the address', async () => {
    // Prepare: a victim registered for one session, with their mailed link
    const [a, b, c] = [futureSession({ capacity: 50 }), futureSession({ capacity: 50 }), futureSession({ capacity: 50 })];
    await importSessions(a, b, c);
    const victim = registrationBody([a.sessionId], { name: 'Victoria Owner', language: 'fr', timeZone: 'Africa/Dakar' });
    expect((await postJson('/registrations', victim)).status).toBe(201);
    const link = await mailedLink(victim.email);
    const mailsBefore = (await mails(victim.email)).length;

    await attack('same address and sessions: the replayed answer carries a manage link, token or participant id', async () => {
      const answer = await postJson('/registrations', { ...victim, name: 'Mallory' });
      return !(answer.status === 201 && Object.keys(answer.body).sort().join() === 'mailedTo,sessions') || JSON.stringify(answer.body).includes(link.participantId);
    });
    await attack('same address, another session: the answer carries a link or id', async () => {
      const answer = await postJson('/registrations', { ...victim, sessionIds: [b.sessionId] });
      return JSON.stringify(answer.body).match(/token|manage|participantId/) !== null || JSON.stringify(answer.body).includes(link.participantId);
    });
    await attack('the answer page (form post) carries a manage link', async () => {
      const form = new URLSearchParams({ ...Object.fromEntries(Object.entries(victim).filter(([k]) => k !== 'sessionIds' && k !== 'consent').map(([k, v]) => [k, String(v)])), consent: 'on' });
      form.append('sessionIds', c.sessionId);
      const page = await (await fetch(`${apiUrl()}/registrations`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: form.toString() })).text();
      return page.includes('/me?token=') || page.includes(link.participantId);
    });
    await attack('the public form overwrites the profile (name, language, time zone)', async () => {
      await drain();
      const view = (await (await get(`/me?token=${encodeURIComponent(link.token)}`)).json()) as { participant: { name: string; language: string; timeZone: string } };
      return view.participant.name !== 'Victoria Owner' || view.participant.language !== 'fr' || view.participant.timeZone !== 'Africa/Dakar';
    });
    await attack('the submissions above mailed the victim beyond the budget', async () => (await mails(victim.email)).length - mailsBefore > BUDGET);

    // Mail bombing a third party through the registration form and "mail me my link"
    const third = registrationBody([a.sessionId], { name: 'https://phish.example/login' });
    const sessions = Array.from({ length: 6 }, () => futureSession({ capacity: 50 }));
    await importSessions(...sessions);
    await attack(`mail bombing a third party: ${sessions.length} registrations and 6 link requests in a minute exceed ${BUDGET} mails`, async () => {
      const statuses = [];
      for (const session of sessions) statuses.push((await postJson('/registrations', { ...third, sessionIds: [session.sessionId] })).status);
      for (let i = 0; i < 6; i++) await postJson('/me/link', { email: third.email }, asJson);
      await drain();
      mailsToThirdParty = (await mails(third.email)).length;
      return mailsToThirdParty > BUDGET || !statuses.includes(429);
    });
    await attack('"mail me my link" tells a known address from an unknown one', async () => {
      const known = await postJson('/me/link', { email: victim.email }, asJson);
      const unknown = await postJson('/me/link', { email: `${uniqueId('nobody')}@example.org` }, asJson);
      return known.status !== unknown.status || JSON.stringify(known.body) !== JSON.stringify(unknown.body);
    });
    await attack('"mail me my link" sends the link anywhere but the address', async () => {
      await drain();
      const linkMails = (await mails()).filter((m) => m.subject === 'Your link to your registrations' || m.subject === 'Votre lien vers vos inscriptions');
      return linkMails.some((m) => m.body.text?.includes(link.participantId) || (m.destination.to[0] !== victim.email && m.destination.to[0] !== third.email));
    });

    // Tokens with one purpose
    const unsubscribe = signer.sign({ purpose: 'unsubscribe', subject: link.participantId, expiresAt: inADay() });
    const optOut = signer.sign({ purpose: 'digest-opt-out', subject: link.participantId, expiresAt: inADay() });
    for (const [label, token] of [['a reminder unsubscribe token', unsubscribe], ['an organiser digest opt-out token', optOut]] as const) {
      await attack(`${label} opens the manage routes (view, export, cancel, erase)`, async () => {
        const statuses = [
          await manageStatus(token),
          (await get(`/me/export?token=${encodeURIComponent(token)}`)).status,
          (await postJson('/me/cancel', { token, sessionId: a.sessionId }, asJson)).status,
          (await postJson('/me/erase', { token, confirm: true }, asJson)).status,
        ];
        return statuses.some((status) => status !== 403);
      });
    }
    await attack('a manage token stops reminders through the unsubscribe route', async () => (await postJson(`/unsubscribe?token=${encodeURIComponent(link.token)}`, {}, asJson)).status !== 403);
    await attack('a token signed by a key Convene does not hold is accepted', async () =>
      (await manageStatus(createTokenSigner({ current: { id: 'k1', secret: 'x'.repeat(48) } }).sign({ purpose: 'manage', subject: link.participantId, expiresAt: inADay() }))) !== 403);

    // Personal responses are not cached, errors speak the request's language
    await attack('the manage view or the registration answer may be cached', async () => {
      const view = await get(`/me?token=${encodeURIComponent(link.token)}`);
      const answer = await postJson('/registrations', registrationBody([a.sessionId]));
      return view.headers.get('cache-control') !== 'no-store' || answer.headers.get('cache-control') !== 'no-store';
    });
    await attack('a refused link answers in another language than the request’s', async () => {
      const response = await fetch(`${apiUrl()}/me?token=forged`, { headers: { ...asJson, 'accept-language': 'fr' } });
      return response.status !== 403 || !JSON.stringify(await response.json()).includes('Ce lien');
    });

    // Sign out all my links
    const fresh = registrationBody([a.sessionId]);
    await postJson('/registrations', fresh);
    const freshLink = await mailedLink(fresh.email);
    await attack('a link still works after "sign out all my links"', async () => {
      const signOut = await postJson('/me/sign-out', { token: freshLink.token }, asJson);
      return signOut.status !== 200 || (await manageStatus(freshLink.token)) !== 403 || (await postJson('/me/cancel', { token: freshLink.token, sessionId: a.sessionId }, asJson)).status !== 403;
    });
    await attack('after signing out, the owner cannot get a working link by mail', async () => {
      await postJson('/me/link', { email: fresh.email }, asJson);
      return (await manageStatus((await mailedLink(fresh.email)).token)) !== 200;
    });

    // Erasure
    const leaver = registrationBody([a.sessionId]);
    await postJson('/registrations', leaver);
    const leaverLink = await mailedLink(leaver.email);
    expect((await postJson('/me/erase', { token: leaverLink.token, confirm: true }, asJson)).status).toBe(200);
    await drain();
    await attack('after erasure, the old link reads, changes or unsubscribes anything (not 410)', async () => {
      const leaverUnsubscribe = signer.sign({ purpose: 'unsubscribe', subject: leaverLink.participantId, expiresAt: inADay() });
      const statuses = [
        await manageStatus(leaverLink.token),
        (await postJson('/me/preferences', { token: leaverLink.token, language: 'en', timeZone: 'UTC', reminders: true }, asJson)).status,
        (await postJson(`/unsubscribe?token=${encodeURIComponent(leaverUnsubscribe)}`, {}, asJson)).status,
      ];
      return statuses.some((status) => status !== 410);
    });
    await attack('erasure leaves a stored answer or a hash of the address in the table', async () => {
      const items = (await testDocumentClient().send(new ScanCommand({ TableName: 'convene', FilterExpression: 'participantId = :p OR pk = :e', ExpressionAttributeValues: { ':p': leaverLink.participantId, ':e': `EMAIL#${hashEmail(leaver.email)}` } }))).Items ?? [];
      return items.some((item) => item.type === 'submission' || item.type === 'email' || String(item.pk).includes(hashEmail(leaver.email)));
    });
    await attack('registering again after an erasure answers 201 but stores nothing', async () => {
      const again = await postJson('/registrations', leaver);
      const newLink = await mailedLink(leaver.email);
      return again.status !== 201 || newLink.participantId === leaverLink.participantId || (await manageStatus(newLink.token)) !== 200;
    });

    // Re-adding a cancelled session
    await attack('re-adding a session cancelled minutes ago answers "added" and stores nothing', async () => {
      const person = registrationBody([b.sessionId]);
      await postJson('/registrations', person);
      const { token, participantId } = await mailedLink(person.email);
      await postJson('/me/cancel', { token, sessionId: b.sessionId }, asJson);
      const again = await postJson('/registrations', person);
      await drain();
      const item = await testDocumentClient().send(new GetCommand({ TableName: 'convene', Key: { pk: `SESSION#${b.sessionId}`, sk: `REG#${participantId}` } }));
      return again.status !== 201 || item.Item?.status !== 'confirmed';
    });

    // Organiser input
    await attack('an organiser sets a javascript: join link', async () => {
      const session = futureSession();
      try {
        await adminClient(apiUrl())('PUT', `/admin/sessions/${session.sessionId}`, { ...session, joinUrl: 'javascript:alert(1)' });
        return true;
      } catch (error) {
        return (error as { status?: number }).status !== 400;
      }
    });

    const through = results.filter((r) => r.gotThrough).length;
    console.log(`identity: attacks ${results.length} -> got through ${through}, mails to a third party ${mailsToThirdParty} ≤ budget ${BUDGET}`);
  });
});
