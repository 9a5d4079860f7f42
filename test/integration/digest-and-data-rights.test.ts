import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { answeredAndMailed, apiUrl, attachmentText, drain, futureSession, importSessions, mails, mimeParts, postJson, rawMail, registrationBody, runSchedule, sesFront } from '../support/api.ts';
import { seedConfirmedRegistrants, testDocumentClient } from '../support/seed.ts';
import { launchBrowser } from '../support/browser.ts';

const admin = () => adminClient(apiUrl());
const artifacts = path.resolve(import.meta.dirname, '..', 'artifacts');
const DAY = 86_400_000;
const FORUM_ZONE = 'Europe/Zurich';
/**
 * An explicit digest time: 07:00 UTC (08:00 or 09:00 in Zurich, far from midnight) on the forum-local
 * day `days` after today's. The digest is once per Zurich day, so a time taken from the clock would
 * land on another day whenever the test runs just before Zurich midnight.
 */
function digestTimeInDays(days: number): Date {
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: FORUM_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()).split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, day! + days, 7));
}
/** Each digest test fires on its own future day, so "once per day" never collides across tests. */
let dayOffset = 10;
const nextDigestTime = () => digestTimeInDays(dayOffset++);

function startingInDays(days: number) {
  const start = Math.floor((Date.now() + days * DAY) / 3_600_000) * 3_600_000;
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');
  return { startsAt: iso(start), endsAt: iso(start + 5_400_000) };
}

type Answer = { participantId: string; manageUrl: string; sessions: Array<{ status: string }> };
const tokenOf = (answer: Answer) => new URL(answer.manageUrl).searchParams.get('token')!;

async function register(sessionId: string, overrides: Record<string, unknown> = {}) {
  const body = registrationBody([sessionId], { language: 'en', ...overrides });
  const response = await postJson('/registrations', body);
  expect(response.status).toBe(201);
  return { email: body.email, answer: (await answeredAndMailed(body.email, response.body)) as unknown as Answer };
}

async function feedback(messageId: string, type: 'Bounce' | 'Complaint' | 'Delivery') {
  const response = await fetch(`${apiUrl()}/_local/ses/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageId, type }) });
  expect(response.status).toBe(200);
}

const digests = async () => (await mails('organisers@example.org')).filter((m) => m.subject.startsWith('Convene digest'));

describe('the organisers’ digest', () => {
  it('reports exactly the day’s activity per session, with a CSV row per session, and is sent once if fired twice', async () => {
    // Prepare: a baseline digest (the previous digest) yesterday morning, forum time, so before any of
    // the activity below, then the activity on one session.
    const baseline = await runSchedule('digest', digestTimeInDays(-1));
    expect(baseline.status).toBe(200);
    // starts after every digest time of this file, so it is "upcoming" in each
    const session = futureSession({ capacity: 2, claimWindowHours: 24, ...startingInDays(40) });
    await importSessions(session);
    const a = await register(session.sessionId, { stakeholderType: 'regulator', country: 'KE' });
    await register(session.sessionId, { stakeholderType: 'regulator', country: 'KE' });
    const waiting = await register(session.sessionId, { stakeholderType: 'academia', country: 'BR' });
    expect(waiting.answer.sessions[0]!.status).toBe('waitlisted');
    await drain();
    await postJson('/me/cancel', { token: tokenOf(a.answer), sessionId: session.sessionId }, { accept: 'application/json' });
    await drain();
    const confirmation = (await mails(a.email))[0]!;
    await feedback(confirmation.messageId, 'Bounce');
    const before = (await digests()).length;

    // Act: tomorrow's digest (forum time), fired twice a minute apart on the same forum-local day
    const time = digestTimeInDays(1);
    const first = await runSchedule('digest', time);
    const second = await runSchedule('digest', new Date(time.getTime() + 60_000));

    // Assess
    expect(first.status).toBe(200);
    expect((first.body.result as { sent: boolean }).sent).toBe(true);
    expect((second.body.result as { sent: boolean }).sent).toBe(false);
    expect((second.body.result as { day: string }).day).toBe((first.body.result as { day: string }).day);
    const sent = (await digests()).slice(before);
    expect(sent).toHaveLength(1);
    const digest = sent[0]!;
    const rows = parse(attachmentText(digest), { columns: true }) as Array<Record<string, string>>;
    const row = rows.find((r) => r.sessionId === session.sessionId)!;
    expect(row).toMatchObject({ new: '3', cancelled: '1', offersMade: '1', openOffers: '1', bounces: '1', seatsTaken: '2', capacity: '2' });
    expect(new Set(rows.map((r) => r.sessionId)).size).toBe(rows.length);
    expect(digest.body.html).toContain(session.title.en);
    expect((await mimeParts(await rawMail(digest.messageId))).header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(path.join(artifacts, 'digest.html'), digest.body.html ?? '');
    // the digest as an organiser's mail client shows it, kept as a test artifact to look at
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 800, height: 1200 } });
      await page.setContent(digest.body.html ?? '');
      await page.screenshot({ path: path.join(artifacts, 'digest.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('reads the same capacity at 100 and at 5,000 registrations (within 10%)', async () => {
    const session = futureSession({ capacity: 10_000, ...startingInDays(60) });
    await importSessions(session);
    await seedConfirmedRegistrants(session.sessionId, 100);
    // a first digest, so both measured ones cover exactly one day since the previous one
    await runSchedule('digest', nextDigestTime());
    const small = await runSchedule('digest', nextDigestTime());
    await seedConfirmedRegistrants(session.sessionId, 4900);
    const large = await runSchedule('digest', nextDigestTime());
    const smallUnits = (small.body.result as { readUnits: number }).readUnits;
    const largeUnits = (large.body.result as { readUnits: number }).readUnits;
    expect(smallUnits).toBeGreaterThan(0);
    expect(Math.abs(largeUnits - smallUnits) / smallUnits).toBeLessThanOrEqual(0.1);
  });
});

describe('deliverability', () => {
  it('stops mail to an address after a hard bounce and shows it in deliveries', async () => {
    const session = futureSession();
    await importSessions(session);
    const person = await register(session.sessionId);
    const other = await register(session.sessionId);
    await drain();
    await feedback((await mails(person.email))[0]!.messageId, 'Bounce');
    await feedback((await mails(other.email))[0]!.messageId, 'Delivery');

    await runSchedule('reminders', new Date(Date.parse(session.startsAt) - 24 * 3_600_000 + 60_000));

    expect((await mails(person.email)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(0);
    expect((await mails(other.email)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(1);
    const { body } = await admin()('GET', `/admin/sessions/${session.sessionId}/deliveries`);
    const deliveries = body as { counts: Record<string, number>; mails: Array<{ participantId: string; status: string; kind: string }> };
    expect(deliveries.mails.find((m) => m.participantId === person.answer.participantId && m.kind === 'registration')?.status).toBe('bounced');
    expect(deliveries.mails.find((m) => m.participantId === other.answer.participantId && m.kind === 'registration')?.status).toBe('delivered');
  });

  it('lists in deliveries, with SES\'s reason, a registrant a notice failed for good', async () => {
    const session = futureSession();
    await importSessions(session);
    const refused = await register(session.sessionId);
    const reached = await register(session.sessionId);
    await drain();
    const account = await sesFront('/_front/account');
    try {
      // Prepare: the account back in the sandbox with only one of the two addresses verified, so SES
      // rejects the other's notice for good (MESSAGE_REJECTED, not worth a retry).
      await sesFront('/_front/account', { sandbox: true, verified: [reached.email] });
      const start = Date.parse(session.startsAt);
      const iso = (ms: number) => new Date(ms).toISOString();
      await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 9_000_000) });
      // Act
      await runSchedule('notices', new Date(Date.now() + 11 * 60_000));
    } finally {
      await sesFront('/_front/account', account);
    }
    // Assess: the one reached has the notice; the other is listed as failed, once, with the reason.
    expect((await mails(reached.email)).filter((m) => m.subject.startsWith('Session moved'))).toHaveLength(1);
    expect((await mails(refused.email)).filter((m) => m.subject.startsWith('Session moved'))).toHaveLength(0);
    const { body } = await admin()('GET', `/admin/sessions/${session.sessionId}/deliveries`);
    const deliveries = body as { counts: Record<string, number>; mails: Array<{ participantId: string; kind: string }>; failed: Array<{ participantId: string; kind: string; error: string; failedAt: string }> };
    expect(deliveries.counts.failed).toBe(1);
    expect(deliveries.failed).toEqual([{ participantId: refused.answer.participantId, kind: 'notice', sessionId: session.sessionId, failedAt: expect.any(String), error: expect.stringMatching(/^MESSAGE_REJECTED: /) }]);
    expect(deliveries.mails.filter((m) => m.kind === 'notice').map((m) => m.participantId)).toEqual([reached.answer.participantId]);
    // SES's reason names the address; the record keeps the participant's id only.
    expect(JSON.stringify(deliveries.failed)).not.toContain(refused.email);
  });

  it('traces events about a bulk notice to its registrant: bounced and suppressed, delivered, in deliveries and the export', async () => {
    const session = futureSession();
    await importSessions(session);
    const person = await register(session.sessionId);
    const other = await register(session.sessionId);
    await drain();
    const start = Date.parse(session.startsAt);
    const iso = (ms: number) => new Date(ms).toISOString();
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 9_000_000) });
    await runSchedule('notices', new Date(Date.now() + 11 * 60_000));
    const noticeOf = async (email: string) => (await mails(email)).find((m) => m.subject.startsWith('Session moved'))!;
    const [bounced, delivered] = [await noticeOf(person.email), await noticeOf(other.email)];

    // Act: the bounce arrives twice (SES may repeat an event) and a late delivery report after it.
    await feedback(bounced.messageId, 'Bounce');
    await feedback(bounced.messageId, 'Bounce');
    await feedback(bounced.messageId, 'Delivery');
    await feedback(delivered.messageId, 'Delivery');

    // Assess: the deliveries list shows each notice once with its status, next to the confirmations.
    const { body } = await admin()('GET', `/admin/sessions/${session.sessionId}/deliveries`);
    const deliveries = body as { counts: Record<string, number>; mails: Array<{ messageId: string; participantId: string; status: string; kind: string }> };
    const notices = deliveries.mails.filter((m) => m.kind === 'notice');
    expect(notices).toHaveLength(2);
    expect(notices.find((m) => m.participantId === person.answer.participantId)).toMatchObject({ messageId: bounced.messageId, status: 'bounced' });
    expect(notices.find((m) => m.participantId === other.answer.participantId)).toMatchObject({ messageId: delivered.messageId, status: 'delivered' });
    expect(deliveries.mails.filter((m) => m.kind === 'registration')).toHaveLength(2);
    // The export lists the notice among the registrant's mails.
    const exported = await fetch(`${apiUrl()}/me/export?token=${encodeURIComponent(tokenOf(other.answer))}`);
    const data = (await exported.json()) as { mails: Array<{ messageId: string; kind: string; status: string }> };
    expect(data.mails.map((m) => [m.kind, m.status]).sort()).toEqual([['notice', 'delivered'], ['registration', 'sent']]);
    // The bounced address gets nothing more: no reminder.
    await runSchedule('reminders', new Date(start + 3_600_000 - 24 * 3_600_000 + 60_000));
    expect((await mails(person.email)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(0);
    expect((await mails(other.email)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(1);
  });

  it('suppresses an address after a complaint', async () => {
    const session = futureSession({ capacity: 1, claimWindowHours: 0 });
    await importSessions(session);
    const holder = await register(session.sessionId);
    const complainer = await register(session.sessionId);
    await drain();
    await feedback((await mails(complainer.email))[0]!.messageId, 'Complaint');
    await postJson('/me/cancel', { token: tokenOf(holder.answer), sessionId: session.sessionId }, { accept: 'application/json' });
    await drain();
    // promoted, but no mail goes to a suppressed address
    expect(await mails(complainer.email)).toHaveLength(1);
  });
});

describe('data rights', () => {
  it('exports a participant’s data, then erases it: the seat goes to the waiting list and the CSV loses the name', async () => {
    // Prepare
    const session = futureSession({ capacity: 1, claimWindowHours: 0 });
    await importSessions(session);
    const leaver = await register(session.sessionId, { name: 'Ingrid Leaver' });
    const waiting = await register(session.sessionId);
    await drain();
    const token = tokenOf(leaver.answer);

    // Act 1: export
    const exported = await fetch(`${apiUrl()}/me/export?token=${encodeURIComponent(token)}`);
    const data = (await exported.json()) as { participant: { name: string; email: string }; registrations: unknown[]; mails: unknown[] };
    // Act 2: erase
    const erase = await postJson('/me/erase', { token, confirm: true }, { accept: 'application/json' });
    await drain();

    // Assess
    expect(exported.status).toBe(200);
    expect(data.participant).toMatchObject({ name: 'Ingrid Leaver', email: leaver.email });
    expect(data.registrations).toHaveLength(1);
    expect(data.mails.length).toBeGreaterThanOrEqual(1);
    expect(erase.status).toBe(200);
    expect((await mails(leaver.email)).at(-1)!.subject).toBe('Your data has been erased');
    const { body: csv } = await admin()('GET', `/admin/sessions/${session.sessionId}/registrations`);
    expect(String(csv)).not.toContain('Ingrid Leaver');
    expect(String(csv)).not.toContain(leaver.email);
    expect((await mails(waiting.email)).at(-1)!.subject).toContain('Confirmed');
    const after = await fetch(`${apiUrl()}/me?token=${encodeURIComponent(token)}`, { headers: { accept: 'application/json' } });
    expect(after.status).toBe(410);
  });

  it('lets personal data expire (DynamoDB TTL) 90 days after the forum’s last session', async () => {
    const last = futureSession({ ...startingInDays(400) });
    await importSessions(last);
    const session = futureSession();
    await importSessions(session);
    const { answer } = await register(session.sessionId);
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    const item = await testDocumentClient().send(new GetCommand({ TableName: 'convene', Key: { pk: `PARTICIPANT#${answer.participantId}`, sk: 'PROFILE' } }));
    const forum = await testDocumentClient().send(new GetCommand({ TableName: 'convene', Key: { pk: 'FORUM', sk: 'FORUM' } }));
    expect(Date.parse(String(forum.Item?.lastEndsAt))).toBeGreaterThanOrEqual(Date.parse(last.endsAt));
    expect(Number(item.Item?.ttl)).toBe(Math.floor((Date.parse(String(forum.Item?.lastEndsAt)) + 90 * DAY) / 1000));
  });
});
