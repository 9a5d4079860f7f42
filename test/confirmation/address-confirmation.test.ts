import { describe, expect, it } from 'vitest';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { apiUrl, drain, futureSession, importSessions, invitationMethod, mailedLink, mails, postJson, registrationBody, runSchedule, type StoredMail } from '../support/api.ts';

/**
 * Address confirmation (double opt-in), the default: the runtime of this project runs with
 * ADDRESS_CONFIRMATION on and CONFIRM_WITHIN_MINUTES 60. A public-form submission holds places until the
 * address confirms from the mail; nothing about the address's registrations shows in the HTTP answer.
 */

/** The confirm link of the latest mail to `email` that carries one. */
async function confirmLink(email: string): Promise<{ url: string; token: string }> {
  await drain();
  const links = (await mails(email)).map((mail) => /\/confirm\?token=([^\s"<>&]+)/.exec(mail.body.text ?? '')?.[1]).filter(Boolean);
  const token = links.at(-1);
  if (!token) throw new Error(`no mail to ${email} carries a confirm link`);
  const decoded = decodeURIComponent(token);
  return { url: `${apiUrl()}/confirm?token=${encodeURIComponent(decoded)}`, token: decoded };
}

const html = { accept: 'text/html' };
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { ...html, 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function seatsLeft(sessionId: string): Promise<number> {
  const response = await fetch(`${apiUrl()}/sessions`);
  const body = (await response.json()) as { sessions: Array<{ sessionId: string; seatsLeft: number }> };
  return body.sessions.find((s) => s.sessionId === sessionId)!.seatsLeft;
}

async function registerAndConfirm(body: Record<string, unknown>): Promise<void> {
  expect((await postJson('/registrations', body)).status).toBe(201);
  const { token } = await confirmLink(String(body.email));
  expect((await postJson('/confirm', { token })).status).toBe(200);
  await drain();
}

const subjects = (list: StoredMail[]) => list.map((mail) => mail.subject);

describe('address confirmation', () => {
  it('holds the seat, answers without a link, and confirms only by the button of the mailed link', async () => {
    const session = futureSession({ capacity: 2 });
    await importSessions(session);
    const body = registrationBody([session.sessionId], { language: 'en', timeZone: 'Asia/Tokyo' });
    const before = Date.now();
    const answer = await postJson('/registrations', body);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    // Each session's outcome, without a waiting-list position; until when it is held; nothing to act with.
    expect(answer.body.sessions).toEqual([{ sessionId: session.sessionId, status: 'confirmed' }]);
    const heldUntil = Date.parse(String(answer.body.heldUntil));
    expect(heldUntil - before).toBeGreaterThan(59 * 60_000);
    expect(heldUntil - before).toBeLessThan(61 * 60_000);
    expect(JSON.stringify(answer.body)).not.toMatch(/token|participant|\/me\b/i);
    // The seat is held: nobody else can take it meanwhile.
    expect(await seatsLeft(session.sessionId)).toBe(1);

    await drain();
    const [holdMail, ...others] = await mails(body.email);
    expect(others).toEqual([]);
    expect(holdMail!.subject).toContain('Please confirm your registration');
    expect(holdMail!.attachments).toEqual([]); // no calendar entry for a seat not confirmed
    expect(holdMail!.body.text).not.toMatch(/\/me\?token=/); // no manage link before the address is proved
    expect(holdMail!.body.text).not.toContain(body.name); // no text typed by whoever filled in the form
    expect(holdMail!.body.text).toMatch(/confirm by [^(]*GMT\+9 \(your time\)/); // the deadline in the registrant's zone

    // The link only asks (a mail scanner follows links): the page shows a button and confirms nothing.
    const { url, token } = await confirmLink(body.email);
    const page = await fetch(url, { headers: html });
    expect(page.status).toBe(200);
    const pageHtml = await page.text();
    expect(pageHtml).toContain('<form method="post" action="/confirm');
    expect(pageHtml).toContain('Confirm my registration');
    await drain();
    expect(await mails(body.email)).toHaveLength(1);

    // The button confirms: the confirmation comes with its calendar invitation and the manage link.
    const confirmed = await fetch(`${apiUrl()}/confirm`, form({ token }));
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Your registration is confirmed');
    await drain();
    const after = await mails(body.email);
    expect(subjects(after)).toHaveLength(2);
    const confirmation = after[1]!;
    expect(confirmation.subject).toContain('Registration received');
    expect(await invitationMethod(confirmation)).toBe('REQUEST');
    const { manageUrl } = await mailedLink(body.email);
    const view = (await (await fetch(manageUrl, { headers: { accept: 'application/json' } })).json()) as { registrations: Array<{ status: string }> };
    expect(view.registrations.map((r) => r.status)).toEqual(['confirmed']);
    expect(await seatsLeft(session.sessionId)).toBe(1);

    // A second press finds nothing waiting, and sends nothing.
    const again = await postJson('/confirm', { token });
    expect(again.status).toBe(409);
    expect((again.body.error as { code: string }).code).toBe('nothing_to_confirm');
    await drain();
    expect(await mails(body.email)).toHaveLength(2);
  });

  it('gives a stranger who submits for a confirmed address the answer a newcomer gets, and changes nothing of it', async () => {
    const [mine, full, other] = [futureSession({ capacity: 5 }), futureSession({ capacity: 1 }), futureSession({ capacity: 5 })];
    await importSessions(mine, full, other);
    const owner = registrationBody([mine.sessionId, full.sessionId], { language: 'en', name: 'Olga Owner', organisation: 'Ministry of Owners' });
    await registerAndConfirm(owner);
    const ownerMails = (await mails(owner.email)).length;

    // The stranger's answer for the owner's address, and for a fresh address: the same, session by session.
    const stranger = { ...owner, name: 'Mallory https://evil.example/login', organisation: 'Evil', language: 'ru', timeZone: 'Europe/Moscow', sessionIds: [mine.sessionId, full.sessionId, other.sessionId] };
    const strangerAnswer = await postJson('/registrations', stranger);
    const control = await postJson('/registrations', { ...stranger, email: `control-${Date.now()}@example.org` });
    expect(strangerAnswer.status).toBe(201);
    expect(control.status).toBe(201);
    const shape = (answer: Record<string, unknown>) => ({ sessions: answer.sessions, keys: Object.keys(answer).sort() });
    expect(shape(strangerAnswer.body)).toEqual(shape(control.body));
    // `full` had its one seat taken by the owner: both read "waiting list", neither says the owner has the seat.
    expect(strangerAnswer.body.sessions).toEqual([
      { sessionId: mine.sessionId, status: 'confirmed' },
      { sessionId: full.sessionId, status: 'waitlisted' },
      { sessionId: other.sessionId, status: 'confirmed' },
    ]);

    // The owner reads the truth, in the owner's language, greeted by the owner's name; nothing of the stranger's.
    await drain();
    const received = await mails(owner.email);
    expect(received).toHaveLength(ownerMails + 1);
    const holdMail = received.at(-1)!;
    expect(holdMail.subject).toContain('Please confirm your registration');
    expect(holdMail.body.text).toContain('Dear Olga Owner');
    expect(holdMail.body.text).not.toMatch(/Mallory|evil\.example/);
    expect(holdMail.body.text!.match(/You are already registered: Confirmed/g)).toHaveLength(2);
    expect(holdMail.body.text).toContain('Seat held for you');

    // The profile is untouched; the addition waits, held, for the owner's confirmation.
    const { manageUrl, token } = await mailedLink(owner.email);
    const view = (await (await fetch(manageUrl, { headers: { accept: 'application/json' } })).json()) as {
      participant: { name: string; organisation: string; language: string; timeZone: string };
      registrations: Array<{ sessionId: string; status: string; heldAs?: string }>;
    };
    expect(view.participant).toMatchObject({ name: 'Olga Owner', organisation: 'Ministry of Owners', language: 'en', timeZone: owner.timeZone });
    expect(view.registrations.find((r) => r.sessionId === other.sessionId)).toMatchObject({ status: 'held', heldAs: 'confirmed' });
    expect(view.registrations.filter((r) => r.status === 'confirmed')).toHaveLength(2);

    // The manage page proves the address too: its button confirms what is held.
    const page = await (await fetch(manageUrl, { headers: html })).text();
    expect(page).toContain('action="/me/confirm"');
    const confirmed = await fetch(`${apiUrl()}/me/confirm`, { ...form({ token }), redirect: 'manual' });
    expect(confirmed.status).toBe(303);
    await drain();
    const last = (await mails(owner.email)).at(-1)!;
    expect(last.subject).toContain('Registration received');
    expect(await invitationMethod(last)).toBe('REQUEST');
  });

  it('releases holds not confirmed in time, and the waiting list moves on', async () => {
    const session = futureSession({ capacity: 1, claimWindowHours: 0 });
    await importSessions(session);
    const squatter = registrationBody([session.sessionId], { language: 'en' });
    const waiting = registrationBody([session.sessionId], { language: 'en' });
    expect((await postJson('/registrations', squatter)).status).toBe(201);
    const waitingAnswer = await postJson('/registrations', waiting);
    expect(waitingAnswer.body.sessions).toEqual([{ sessionId: session.sessionId, status: 'waitlisted' }]);
    const { token: waitingToken } = await confirmLink(waiting.email);
    expect((await postJson('/confirm', { token: waitingToken })).status).toBe(200);
    await drain();
    expect(await seatsLeft(session.sessionId)).toBe(0);

    // An hour later the squatter's seat is released, and the confirmed waiting registrant gets it.
    const released = await runSchedule('holds', new Date(Date.now() + 61 * 60_000));
    expect(released.status).toBe(200);
    await drain();
    const { token: squatterToken } = await confirmLink(squatter.email);
    const late = await fetch(`${apiUrl()}/confirm`, form({ token: squatterToken }));
    expect(await late.text()).toContain('Nothing is waiting for confirmation');
    const waitingMails = await mails(waiting.email);
    const promoted = waitingMails.at(-1)!;
    expect(await invitationMethod(promoted)).toBe('REQUEST');
    const { manageUrl } = await mailedLink(waiting.email);
    const view = (await (await fetch(manageUrl, { headers: { accept: 'application/json' } })).json()) as { registrations: Array<{ status: string }> };
    expect(view.registrations.map((r) => r.status)).toEqual(['confirmed']);
    // The squatter is never written to again: one mail, the request to confirm.
    expect(await mails(squatter.email)).toHaveLength(1);
  });

  it('counts in the digest neither held seats as taken nor released holds as registrations', async () => {
    const heldSession = futureSession({ capacity: 3, title: { en: `Held seats ${Date.now()}` } });
    const expiring = futureSession({ capacity: 3, title: { en: `Expiring hold ${Date.now()}` } });
    await importSessions(heldSession, expiring);
    expect((await postJson('/registrations', registrationBody([expiring.sessionId], { language: 'en' }))).status).toBe(201);
    await drain();
    expect((await runSchedule('holds', new Date(Date.now() + 61 * 60_000))).status).toBe(200);
    expect((await postJson('/registrations', registrationBody([heldSession.sessionId], { language: 'en' }))).status).toBe(201);
    await drain();

    expect((await runSchedule('digest', new Date(Date.now() + 2 * 3_600_000))).status).toBe(200);
    const digest = (await mails('organisers@example.org')).find((mail) => mail.subject.startsWith('Convene digest'))!;
    const csv = Buffer.from(digest.attachments[0]!.content, 'base64').toString('utf8');
    const row = (sessionId: string) => Object.fromEntries(csv.split('\n')[0]!.split(',').map((column, i) => [column, csv.split('\n').find((line) => line.startsWith(sessionId))!.split(',')[i]]));
    expect(row(heldSession.sessionId)).toMatchObject({ seatsTaken: '0', seatsHeld: '1', new: '0' });
    expect(row(expiring.sessionId)).toMatchObject({ seatsTaken: '0', seatsHeld: '0', new: '0', cancelled: '0' });
    expect(digest.body.html).toContain('+1 held');
    expect(digest.body.html).toMatch(/Holds released unconfirmed<\/td>\s*<td[^>]*>[1-9]/);
  });

  it('answers a repeated submission afresh and mails it again, for an owner and a stranger alike', async () => {
    const session = futureSession();
    await importSessions(session);
    const body = registrationBody([session.sessionId], { language: 'en' });
    const first = await postJson('/registrations', body);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await postJson('/registrations', body);
    expect([first.status, second.status]).toEqual([201, 201]);
    // Not the stored first answer (its earlier deadline would tell that this address had been submitted).
    expect(Date.parse(String(second.body.heldUntil))).toBeGreaterThan(Date.parse(String(first.body.heldUntil)));
    expect(second.body.sessions).toEqual(first.body.sessions);
    await drain();
    const received = await mails(body.email);
    expect(received).toHaveLength(2);
    // Both mails confirm the one held place; the second keeps the first deadline (re-submitting never extends a hold).
    expect(received[1]!.body.text).toContain('Seat held for you · ');
    const { token } = await confirmLink(body.email);
    expect((await postJson('/confirm', { token })).status).toBe(200);
  });

  it('never lets a held waiting-list place keep a free seat from a newcomer', async () => {
    const session = futureSession({ capacity: 1 });
    await importSessions(session);
    const owner = registrationBody([session.sessionId], { language: 'en' });
    await registerAndConfirm(owner);
    // A stranger (or a bot) holds a waiting-list place with an address nobody will confirm.
    const squatter = await postJson('/registrations', registrationBody([session.sessionId], { language: 'en' }));
    expect(squatter.body.sessions).toEqual([{ sessionId: session.sessionId, status: 'waitlisted' }]);
    const { token } = await mailedLink(owner.email);
    expect((await postJson('/me/cancel', { token, sessionId: session.sessionId })).status).toBe(200);
    await drain();
    // The freed seat goes to the next newcomer, not to the unconfirmed hold.
    const newcomer = await postJson('/registrations', registrationBody([session.sessionId], { language: 'en' }));
    expect(newcomer.body.sessions).toEqual([{ sessionId: session.sessionId, status: 'confirmed' }]);
  });

  it('confirms nothing for a session cancelled while it was held', async () => {
    const session = futureSession();
    await importSessions(session);
    const body = registrationBody([session.sessionId], { language: 'en' });
    expect((await postJson('/registrations', body)).status).toBe(201);
    await adminClient(apiUrl())('POST', `/admin/sessions/${session.sessionId}/cancel`, { reason: 'test' });
    const { token } = await confirmLink(body.email);
    const answer = await postJson('/confirm', { token });
    expect(answer.status).toBe(409);
    await drain();
    expect((await mails(body.email)).map((mail) => mail.subject)).toHaveLength(1);
  });

  it('refuses a confirm token anywhere but /confirm, and any other token on /confirm', async () => {
    const session = futureSession();
    await importSessions(session);
    const body = registrationBody([session.sessionId], { language: 'en' });
    await registerAndConfirm(body);
    expect((await postJson('/registrations', { ...body, sessionIds: [session.sessionId, futureSession().sessionId] })).status).toBe(422);
    const other = futureSession();
    await importSessions(other);
    expect((await postJson('/registrations', { ...body, sessionIds: [other.sessionId] })).status).toBe(201);
    const { token: confirmToken } = await confirmLink(body.email);
    const { token: manageToken } = await mailedLink(body.email);
    expect((await fetch(`${apiUrl()}/me?token=${encodeURIComponent(confirmToken)}`, { headers: { accept: 'application/json' } })).status).toBe(403);
    expect((await postJson('/me/cancel', { token: confirmToken, sessionId: session.sessionId })).status).toBe(403);
    expect((await postJson('/confirm', { token: manageToken })).status).toBe(403);
    expect((await fetch(`${apiUrl()}/confirm?token=${encodeURIComponent(manageToken)}`, { headers: html })).status).toBe(403);
  });

  it('mails one address at most the hourly budget from the public form', async () => {
    const sessions = [futureSession(), futureSession(), futureSession(), futureSession()];
    await importSessions(...sessions);
    const email = `victim-${Date.now()}@example.org`;
    const statuses: number[] = [];
    for (const session of sessions) statuses.push((await postJson('/registrations', registrationBody([session.sessionId], { email, language: 'en' }))).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    await drain();
    expect(await mails(email)).toHaveLength(3);
  });

  it('spends the budget of an unknown address on "mail me my link" as of a known one, so a 429 tells nothing', async () => {
    const session = futureSession();
    await importSessions(session);
    const known = registrationBody([session.sessionId], { language: 'en' });
    await registerAndConfirm(known); // one public mail of its budget: the request to confirm
    const unknown = `nobody-${Date.now()}@example.org`;
    // Two public actions for each address: the unknown one's link requests count as the known one's do.
    for (const email of [unknown, unknown, known.email]) expect((await postJson('/me/link', { email })).status).toBe(202);
    const [a, b] = [futureSession(), futureSession()];
    await importSessions(a, b);
    const statuses = [];
    for (const session of [a, b]) {
      for (const email of [unknown, known.email]) statuses.push((await postJson('/registrations', registrationBody([session.sessionId], { email, language: 'en' }))).status);
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
  });
});
