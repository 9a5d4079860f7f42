import { describe, expect, it } from 'vitest';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { apiUrl, drain, futureSession, importSessions, mailedLink, mails, mimeParts, postJson, rawMail, registrationBody, runSchedule, type StoredMail } from '../support/api.ts';
import { readCalendar, type ParsedEvent } from '../support/calendars.ts';

const admin = () => adminClient(apiUrl());
const afterQuiet = () => new Date(Date.now() + 11 * 60_000);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');
const FORUM_ADDRESS = 'forum@example.org';
/**
 * Waits into the next second: SEQUENCE is the second of the change a file describes (calendar.ts), so
 * two changes within one second tie, as they would for a registrant acting that fast. The lifecycle's
 * steps are a second apart, as people's are.
 */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 5));

/** Every calendar a mail carries, read from its raw MIME with mailparser and then with ical.js and node-ical. */
async function calendarsOf(mail: StoredMail) {
  const { invitation, icsFiles, header } = await mimeParts(await rawMail(mail.messageId));
  // An invitation travels twice: as the text/calendar part and as the same file attached (invite.ics).
  if (invitation) expect(icsFiles.map((f) => [f.filename, f.text])).toEqual([['invite.ics', invitation.text]]);
  const files = invitation ? [{ ...invitation, part: 'invitation' as const }] : icsFiles.map((f) => ({ ...f, part: 'file' as const }));
  return { from: header('From'), files: files.map((file) => ({ ...file, calendar: readCalendar(file.text) })) };
}

const moveBy = async (sessionId: string, startsAt: string, hours: number) => {
  const start = Date.parse(startsAt) + hours * 3_600_000;
  await admin()('POST', `/admin/sessions/${sessionId}/reschedule`, { startsAt: iso(start), endsAt: iso(start + 3_600_000) });
};

describe('calendar files through a whole lifecycle, read by two independent parsers', () => {
  it('invite only seats, name the forum and the recipient in every REQUEST and CANCEL, and remove every entry that a lost seat leaves', async () => {
    // Prepare: A has one seat; B and C have room.
    const [a, b, c] = [futureSession({ capacity: 1 }), futureSession({ capacity: 10 }), futureSession({ capacity: 10 })];
    await importSessions(a, b, c);
    const fr = registrationBody([a.sessionId, b.sessionId], { language: 'fr', timeZone: 'Africa/Dakar' });
    const ar = registrationBody([a.sessionId], { language: 'ar', timeZone: 'Asia/Riyadh', name: 'ليلى' });
    const zh = registrationBody([b.sessionId, c.sessionId], { language: 'zh', timeZone: 'Asia/Shanghai', name: '王芳' });
    // Act: the whole life of these seats.
    for (const body of [fr, ar, zh]) expect((await postJson('/registrations', body)).status).toBe(201);
    await drain();
    await nextSecond();
    await moveBy(b.sessionId, b.startsAt, 2); // B moves: fr and zh hold seats, both get an update
    await moveBy(a.sessionId, a.startsAt, 1); // A moves: fr holds the seat, ar waits (a notice, no calendar)
    expect((await runSchedule('notices', afterQuiet())).status).toBe(200);
    const frLink = await mailedLink(fr.email);
    await nextSecond();
    expect((await postJson('/me/cancel', { token: frLink.token, sessionId: a.sessionId })).status).toBe(200); // fr gives A up: ar is offered it
    await drain();
    const arLink = await mailedLink(ar.email);
    await nextSecond();
    expect((await postJson('/me/offers/accept', { token: arLink.token, sessionId: a.sessionId })).status).toBe(200);
    await nextSecond();
    await admin()('POST', `/admin/sessions/${c.sessionId}/cancel`, { reason: 'Speaker unavailable' });
    expect((await runSchedule('notices', afterQuiet())).status).toBe(200);
    const zhLink = await mailedLink(zh.email);
    await nextSecond();
    expect((await postJson('/me/erase', { token: zhLink.token, confirm: true })).status).toBe(200);
    await drain();

    // Assess: every mail, and every calendar in it.
    const seen = new Map<string, number>();
    const methods: Record<string, string[]> = {};
    for (const body of [fr, ar, zh]) {
      const received = await mails(body.email);
      expect(received.length).toBeGreaterThan(2);
      for (const mail of received) {
        const { from, files } = await calendarsOf(mail);
        expect(from).toMatch(/^(=\?UTF-8\?[BQ]\?.+\?=|"?[^"<]+"?) <forum@example\.org>$/i); // the forum's display name
        for (const file of files) {
          const { method, events } = file.calendar;
          // The part's method parameter is the file's METHOD (RFC 6047 §2.4); one event per file.
          if (file.part === 'invitation') expect(file.method).toBe(method);
          expect(file.part === 'invitation' ? file.charset?.toLowerCase() : 'utf-8').toBe('utf-8');
          expect(file.text.endsWith('END:VCALENDAR\r\n')).toBe(true);
          expect(events).toHaveLength(1);
          const event = events[0] as ParsedEvent;
          expect(event.organizer).toBe(FORUM_ADDRESS);
          expect(event.attendees).toEqual([body.email.toLowerCase()]);
          expect(event.status).toBe(method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED');
          // Each later file for the same entry supersedes the one before.
          const key = `${body.email}|${event.uid}`;
          expect(event.sequence).toBeGreaterThan(seen.get(key) ?? -1);
          seen.set(key, event.sequence);
          (methods[key] ??= []).push(method ?? '');
          if (event.url) expect(event.url).toBe(a.joinUrl); // unescaped, whole
        }
      }
    }
    const uid = (session: { sessionId: string }) => `${session.sessionId}@127.0.0.1`;
    // fr: A and B invited together (two files), both moved, then A removed when fr gave it up.
    expect(methods[`${fr.email}|${uid(a)}`]).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
    expect(methods[`${fr.email}|${uid(b)}`]).toEqual(['REQUEST', 'REQUEST']);
    // ar: nothing while waiting or offered; one invitation once the seat is theirs.
    expect(methods[`${ar.email}|${uid(a)}`]).toEqual(['REQUEST']);
    // zh: B invited, moved, removed by the erasure; C invited, removed by its cancellation, and again by
    // the erasure (which cannot know whether the cancellation's notice reached them; a second is harmless).
    expect(methods[`${zh.email}|${uid(b)}`]).toEqual(['REQUEST', 'REQUEST', 'CANCEL']);
    expect(methods[`${zh.email}|${uid(c)}`]).toEqual(['REQUEST', 'CANCEL', 'CANCEL']);
    // A mail about one session carries it as the message's invitation; fr's answer about two carries two files.
    const frAnswer = (await mails(fr.email))[0]!;
    expect((await calendarsOf(frAnswer)).files.map((f) => f.part)).toEqual(['file', 'file']);
    const arGranted = (await mails(ar.email)).at(-1)!;
    expect((await calendarsOf(arGranted)).files.map((f) => [f.part, f.method])).toEqual([['invitation', 'REQUEST']]);
    // The join link is in the mail that grants the seat, as a link and written out.
    expect(arGranted.body.html).toContain(`href="${a.joinUrl}"`);
    expect(arGranted.body.text).toContain(a.joinUrl);
  });
});

describe('the personal calendar feed', () => {
  it('follows every change: new seats appear, a moved session moves, a cancelled one stays cancelled, a given-up seat goes; conditional GETs get 304; signing out ends it', async () => {
    // Prepare
    const [a, b] = [futureSession(), futureSession()];
    await importSessions(a, b);
    const body = registrationBody([a.sessionId], { language: 'en' });
    expect((await postJson('/registrations', body)).status).toBe(201);
    const { token } = await mailedLink(body.email);
    const manage = (await (await fetch(`${apiUrl()}/me?token=${encodeURIComponent(token)}`, { headers: { accept: 'application/json' } })).json()) as { feedUrl: string };
    const feedUrl = manage.feedUrl.replace(/^https?:\/\/[^/]+/, apiUrl());
    expect(new URL(manage.feedUrl).pathname).toMatch(/^\/calendar\/[^/]+\.ics$/);
    const get = (headers: Record<string, string> = {}) => fetch(feedUrl, { headers });
    const events = async () => {
      const response = await get();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      const calendar = readCalendar(await response.text());
      expect(calendar.method).toBeUndefined(); // a published calendar, not an invitation
      return { calendar, etag: response.headers.get('etag')!, lastModified: response.headers.get('last-modified')! };
    };
    // Act + Assess: subscribe.
    const first = await events();
    expect(first.calendar.events.map((e) => e.uid)).toEqual([`${a.sessionId}@127.0.0.1`]);
    expect((await get({ 'if-none-match': first.etag })).status).toBe(304);
    expect((await get({ 'if-modified-since': first.lastModified })).status).toBe(200); // a date alone is not trusted
    // A new seat appears.
    expect((await postJson('/me/sessions', { token, sessionIds: [b.sessionId] })).status).toBe(200);
    await drain();
    const second = await events();
    expect(second.calendar.events.map((e) => e.uid).sort()).toEqual([`${a.sessionId}@127.0.0.1`, `${b.sessionId}@127.0.0.1`].sort());
    expect(second.etag).not.toBe(first.etag);
    expect((await get({ 'if-none-match': first.etag })).status).toBe(200);
    // A moves, and its title changes; the feed follows at once (no notice run needed). SEQUENCE counts
    // seconds (calendar.ts): the change is made in a later second than the subscription's first read.
    await nextSecond();
    const moved = Date.parse(a.startsAt) + 3 * 3_600_000;
    await admin()('POST', `/admin/sessions/${a.sessionId}/reschedule`, { startsAt: iso(moved), endsAt: iso(moved + 3_600_000) });
    // Only the English title: the other five translations stay as they were.
    await admin()('PATCH', `/admin/sessions/${a.sessionId}`, { title: { en: 'Digital inclusion, revisited' } });
    const listed = (await admin()('GET', '/admin/sessions')).body as { sessions: Array<{ sessionId: string; title: Record<string, string> }> };
    expect(listed.sessions.find((s) => s.sessionId === a.sessionId)!.title).toEqual({ ...a.title, en: 'Digital inclusion, revisited' });
    const third = await events();
    const movedA = third.calendar.events.find((e) => e.uid.startsWith(a.sessionId))!;
    expect(movedA).toMatchObject({ start: new Date(moved).toISOString(), summary: 'Digital inclusion, revisited', status: 'CONFIRMED' });
    expect(movedA.sequence).toBeGreaterThan(first.calendar.events[0]!.sequence);
    // B is cancelled: it stays, marked cancelled. A given up: it goes.
    await admin()('POST', `/admin/sessions/${b.sessionId}/cancel`, {});
    expect((await postJson('/me/cancel', { token, sessionId: a.sessionId })).status).toBe(200);
    const fourth = await events();
    expect(fourth.calendar.events.map((e) => [e.uid, e.status])).toEqual([[`${b.sessionId}@127.0.0.1`, 'CANCELLED']]);
    // One session's file from the manage page; another purpose's token, a signed-out one: 404.
    const single = await fetch(`${feedUrl}?session=${b.sessionId}`);
    expect(readCalendar(await single.text()).events).toHaveLength(1);
    expect((await fetch(`${apiUrl()}/calendar/${encodeURIComponent(token)}.ics`)).status).toBe(404);
    expect((await postJson('/me/sign-out', { token })).status).toBe(200);
    expect((await get()).status).toBe(404);
  });
});
