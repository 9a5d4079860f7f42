import { describe, expect, it } from 'vitest';
import { adminClient } from '../../infra/cli/admin-client.ts';
import { formatRange } from '../../functions/core/time-format.ts';
import { apiUrl, attachmentText, drain, futureSession, icsSequence, importSessions, invitationOf, mailAbout, mails, postJson, rawMail, registrationBody, runSchedule, sesFront } from '../support/api.ts';
import { readCalendar } from '../support/calendars.ts';
import { seedConfirmedRegistrants, testDocumentClient } from '../support/seed.ts';
import { DynamoFanOutProgress } from '../../functions/delivery/dynamo-fanout-progress.ts';

const admin = () => adminClient(apiUrl());
const QUIET_MS = 10 * 60_000;
const afterQuiet = () => new Date(Date.now() + QUIET_MS + 60_000);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');

async function registerIn(sessionId: string, overrides: Record<string, unknown>) {
  const body = registrationBody([sessionId], overrides);
  const response = await postJson('/registrations', body);
  expect(response.status).toBe(201);
  return body;
}

describe('coalesced change notices', () => {
  it('turns two quick reschedules into one notice per registrant, with the final time in their zone and a higher SEQUENCE', async () => {
    // Prepare: two registrants in different zones and languages.
    const session = futureSession();
    await importSessions(session);
    const tokyo = await registerIn(session.sessionId, { language: 'en', timeZone: 'Asia/Tokyo' });
    const lima = await registerIn(session.sessionId, { language: 'es', timeZone: 'America/Lima' });
    await drain();
    const confirmationSequence = icsSequence(attachmentText((await mails(tokyo.email))[0]!));
    const start = Date.parse(session.startsAt);

    // Act: two edits within the quiet period, then the notices schedule after it.
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 2 * 3_600_000), endsAt: iso(start + 3 * 3_600_000) });
    const early = await runSchedule('notices', new Date(Date.now() + 60_000));
    const run = await runSchedule('notices', afterQuiet());

    // Assess
    expect(early.status).toBe(200);
    expect((early.body.result as { notices: number }).notices).toBe(0);
    expect(run.status).toBe(200);
    for (const [person, lang, zone] of [[tokyo, 'en', 'Asia/Tokyo'], [lima, 'es', 'America/Lima']] as const) {
      const notices = (await mails(person.email)).slice(1);
      expect(notices).toHaveLength(1);
      const notice = notices[0]!;
      const finalTime = formatRange(iso(start + 2 * 3_600_000), iso(start + 3 * 3_600_000), zone, lang);
      const firstTime = formatRange(session.startsAt, session.endsAt, zone, lang);
      expect(notice.body.text).toContain(finalTime);
      expect(notice.body.text).toContain(firstTime);
      const ics = attachmentText(notice);
      expect(ics).toContain('METHOD:REQUEST');
      expect(ics).toContain(`UID:${session.sessionId}@`);
      expect(icsSequence(ics)).toBeGreaterThan(confirmationSequence);
    }
    // A second run sends nothing more.
    await runSchedule('notices', afterQuiet());
    expect((await mails(tokyo.email)).length).toBe(2);
  });

  it('sends only the cancellation when a reschedule is followed by a cancellation', async () => {
    const session = futureSession();
    await importSessions(session);
    const person = await registerIn(session.sessionId, { language: 'fr' });
    // The answer mail first: otherwise its consumer may still be sending it while the notice goes out.
    await drain();
    const start = Date.parse(session.startsAt);
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
    await admin()('POST', `/admin/sessions/${session.sessionId}/cancel`, { reason: 'Speakers unavailable' });
    await runSchedule('notices', afterQuiet());
    const notices = (await mails(person.email)).slice(1);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toContain('Session annulée');
    expect(notices[0]!.body.text).toContain('Speakers unavailable');
    expect(attachmentText(notices[0]!)).toContain('METHOD:CANCEL');
  });

  it('sends nothing for edits that change nothing registrants see', async () => {
    const session = futureSession({ capacity: 50 });
    await importSessions(session);
    const person = await registerIn(session.sessionId, {});
    await admin()('PATCH', `/admin/sessions/${session.sessionId}`, { capacity: 60 });
    const start = Date.parse(session.startsAt);
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: session.startsAt, endsAt: session.endsAt });
    await runSchedule('notices', afterQuiet());
    expect(await mails(person.email)).toHaveLength(1);
  });

  it('refuses a capacity below the seats already taken, and an end before the start', async () => {
    const session = futureSession({ capacity: 2 });
    await importSessions(session);
    await registerIn(session.sessionId, {});
    await registerIn(session.sessionId, {});
    await expect(admin()('PATCH', `/admin/sessions/${session.sessionId}`, { capacity: 1 })).rejects.toThrow(/409/);
    await expect(admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: session.endsAt, endsAt: session.startsAt })).rejects.toThrow(/400/);
    await expect(admin()('POST', `/admin/sessions/unknown-session/cancel`, {})).rejects.toThrow(/404/);
  });

  it('promotes the waiting list when organisers raise the capacity', async () => {
    const session = futureSession({ capacity: 1, claimWindowHours: 0 });
    await importSessions(session);
    await registerIn(session.sessionId, {});
    const waiting = await registerIn(session.sessionId, { language: 'en' });
    await admin()('PATCH', `/admin/sessions/${session.sessionId}`, { capacity: 2 });
    await drain();
    expect(attachmentText(await mailAbout(waiting.email, 'Confirmed'))).toContain('METHOD:REQUEST');
  });
});

describe('reminders', () => {
  it('reminds each confirmed registrant once per lead, the last one with the join link, and follows a reschedule', async () => {
    // Prepare
    const session = futureSession({ joinUrl: 'https://meet.example.org/join-here' });
    await importSessions(session);
    const a = await registerIn(session.sessionId, { language: 'en' });
    const b = await registerIn(session.sessionId, { language: 'zh', timeZone: 'Asia/Shanghai' });
    await drain();
    const start = Date.parse(session.startsAt);
    const reminders = async (email: string) => (await mails(email)).filter((m) => m.headers?.some((h) => h.name === 'List-Unsubscribe'));

    // Act + Assess: 24 h lead
    await runSchedule('reminders', new Date(start - 24 * 3_600_000 + 60_000));
    expect(await reminders(a.email)).toHaveLength(1);
    expect(await reminders(b.email)).toHaveLength(1);
    expect((await reminders(b.email))[0]!.subject).toContain('提醒');
    const first = (await reminders(a.email))[0]!;
    expect(first.headers).toEqual(expect.arrayContaining([{ name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' }]));
    expect(first.body.text).not.toContain('join-here');

    // fired again: nothing new
    await runSchedule('reminders', new Date(start - 24 * 3_600_000 + 120_000));
    expect(await reminders(a.email)).toHaveLength(1);

    // 1 h lead: the second reminder, with the join link
    await runSchedule('reminders', new Date(start - 3_600_000 + 60_000));
    const second = (await reminders(a.email))[1]!;
    expect(second.body.text).toContain('https://meet.example.org/join-here');

    // a reschedule re-arms both reminders for the new time
    const moved = start + 2 * 86_400_000;
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(moved), endsAt: iso(moved + 5_400_000) });
    await runSchedule('reminders', new Date(moved - 24 * 3_600_000 + 60_000));
    expect(await reminders(a.email)).toHaveLength(3);
  });

  it('stops reminders after a one-click unsubscribe (RFC 8058) but still sends change notices', async () => {
    const session = futureSession();
    await importSessions(session);
    const keeper = await registerIn(session.sessionId, { language: 'en' });
    const unsubscriber = await registerIn(session.sessionId, { language: 'en' });
    await drain();
    const start = Date.parse(session.startsAt);
    await runSchedule('reminders', new Date(start - 24 * 3_600_000 + 60_000));
    const header = (await mails(unsubscriber.email)).at(-1)!.headers!.find((h) => h.name === 'List-Unsubscribe')!.value;
    const url = header.slice(1, -1).replace(/^https?:\/\/[^/]+/, apiUrl());
    const post = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(post.status).toBe(200);
    await runSchedule('reminders', new Date(start - 3_600_000 + 60_000));
    expect((await mails(keeper.email)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(2);
    expect((await mails(unsubscriber.email)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(1);
    await admin()('PATCH', `/admin/sessions/${session.sessionId}`, { joinUrl: 'https://meet.example.org/new-room' });
    await runSchedule('notices', afterQuiet());
    expect((await mails(unsubscriber.email)).at(-1)!.subject).toContain('Session updated');
  });

  it('does not send a reminder whose time had passed when the registrant signed up', async () => {
    // Prepare: the session starts in 3 hours, so the 24 h lead passed before anyone registered.
    const start = Date.now() + 3 * 3_600_000;
    const session = futureSession({ startsAt: iso(Math.floor(start / 60_000) * 60_000), endsAt: iso(Math.floor(start / 60_000) * 60_000 + 3_600_000) });
    await importSessions(session);
    const late = await registerIn(session.sessionId, { language: 'en' });
    await drain();
    // Act
    await runSchedule('reminders', new Date(Date.now() + 60_000));
    const afterFirst = (await mails(late.email)).filter((m) => m.subject.startsWith('Reminder')).length;
    await runSchedule('reminders', new Date(Date.parse(session.startsAt) - 3_600_000 + 60_000));
    // Assess
    expect(afterFirst).toBe(0);
    expect((await mails(late.email)).filter((m) => m.subject.startsWith('Reminder'))).toHaveLength(1);
  });
});

describe('fan-out at scale', () => {
  it('counts, in DynamoDB, the runs that ended with a recipient refused, apart from the progress and the mail log', async () => {
    // Prepare
    const progress = new DynamoFanOutProgress(testDocumentClient(), 'convene');
    const session = futureSession();
    await importSessions(session);
    const call = { jobKey: 'notice-v7', kind: 'notice', sessionId: session.sessionId };
    // Act: two runs end with p1 refused, one of them with p2 too; another job's refusal of p1.
    await progress.markRefused(call, ['p1', 'p2'], new Date('2026-12-01T08:00:00Z'));
    await progress.markRefused(call, ['p1'], new Date('2026-12-01T08:01:00Z'));
    await progress.markRefused({ ...call, jobKey: 'notice-v8' }, ['p1'], new Date('2026-12-01T08:02:00Z'));
    // Assess
    await progress.markRefused(call, Array.from({ length: 2500 }, (_, i) => `bulk-${i}`), new Date('2026-12-01T08:03:00Z'), { gaveUp: true });
    const runs = await progress.refusedRuns(session.sessionId, 'notice-v7');
    expect(runs.get('p1')).toEqual({ runs: 2, since: new Date('2026-12-01T08:00:00Z') });
    expect(runs.get('p2')).toEqual({ runs: 1, since: new Date('2026-12-01T08:00:00Z') });
    // A large run is written in items of 1,000, each under DynamoDB's 400 KB, and read back whole.
    expect([...runs.keys()].filter((id) => id.startsWith('bulk-'))).toHaveLength(2500);
    expect(runs.get('bulk-2499')).toEqual({ runs: 1, since: new Date('2026-12-01T08:03:00Z'), gaveUp: true });
    expect((await progress.reached(session.sessionId, 'notice-v7')).size).toBe(0);
    expect(await progress.sentMails(session.sessionId)).toEqual([]);
  });

  it('notifies 2,000 registrants, each with one message whose invitation names them, in at most ceil(n/50) + languages paced calls', async () => {
    const session = futureSession({ capacity: 5000 });
    await importSessions(session);
    await seedConfirmedRegistrants(session.sessionId, 2000);
    // Notices that earlier tests left pending (a reschedule without a notices run) would be sent by the
    // measured run too and add their sends: send them first, so the run below is this session's alone.
    expect((await runSchedule('notices', afterQuiet())).status).toBe(200);
    const before = await sesFront('/_front/stats');
    const start = Date.parse(session.startsAt);
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
    const run = await runSchedule('notices', afterQuiet());
    const after = await sesFront('/_front/stats');
    expect(run.status).toBe(200);
    const result = run.body.result as { notices: number; sent: number; calls: number };
    expect(result.notices).toBe(1);
    expect(result.sent).toBe(2000);
    // One SendEmail per recipient (the invitation is theirs), grouped in paced calls of up to 50.
    expect(Number(after.sendCalls) - Number(before.sendCalls)).toBe(2000);
    console.log(`fan-out: recipients 2000 in 6 languages -> SendEmail 2000 in ${result.calls} calls (limit ${Math.ceil(2000 / 50) + 6}), run ${JSON.stringify(result)}`);
    expect(result.calls).toBeLessThanOrEqual(Math.ceil(2000 / 50) + 6);
    const received = (await mails()).filter((m) => m.destination.to.some((to) => to.startsWith(`seed-${session.sessionId}-`)));
    expect(new Set(received.flatMap((m) => m.destination.to))).toHaveProperty('size', 2000);
    // Each invitation names its own recipient as ATTENDEE (a sample of 20, read from the raw messages).
    for (const mail of received.slice(0, 20)) {
      const [event] = readCalendar(await invitationOf(rawMail(mail.messageId))).events;
      expect(event!.attendees).toEqual([mail.destination.to[0]!.toLowerCase()]);
    }
  });

  it('paces a notice to the account rate: nobody lost or mailed twice at 20 mails/s, few refused, the notice complete', async () => {
    // Prepare: 120 registrants, then an account as slow as a new SES account (20/s).
    const session = futureSession({ capacity: 500 });
    await importSessions(session);
    await seedConfirmedRegistrants(session.sessionId, 120);
    expect((await runSchedule('notices', afterQuiet())).status).toBe(200);
    const start = Date.parse(session.startsAt);
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
    const account = await sesFront('/_front/account');
    await sesFront('/_front/account', { maxSendRate: 20 });
    const before = await sesFront('/_front/stats');
    try {
      // Act
      const started = Date.now();
      const run = await runSchedule('notices', afterQuiet());
      const seconds = (Date.now() - started) / 1000;
      const after = await sesFront('/_front/stats');
      // Assess: every recipient reached once, in calls no SES second refused, and the notice is done.
      const perRecipient = new Map<string, number>();
      for (const mail of await mails()) for (const to of mail.destination.to) if (to.startsWith(`seed-${session.sessionId}-`)) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
      const result = run.body.result as { notices: number; sent: number; unreached: number; stopped?: string };
      console.log(`pacing: ses 20/s, recipients 120 -> reached ${perRecipient.size}, throttled ${Number(after.throttled) - Number(before.throttled)}, ${seconds.toFixed(1)} s, run ${JSON.stringify(result)}`);
      expect(perRecipient.size).toBe(120);
      expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
      expect(result).toMatchObject({ notices: 1, unreached: 0 });
      expect(result.stopped).toBeUndefined();
      // Unpaced, 120 at once would have had about 100 refused by the 20/s account. Paced, a few may still
      // meet a second that network jitter made fuller; they are retried, never lost (asserted above).
      expect(Number(after.throttled) - Number(before.throttled)).toBeLessThan(12);
      // A second run finds the notice complete: nothing more goes out.
      const again = await runSchedule('notices', afterQuiet());
      expect((again.body.result as { notices: number }).notices).toBe(0);
    } finally {
      await sesFront('/_front/account', account);
    }
  });

  it('pauses bulk mail when the day\'s SES quota is nearly spent, says so in the digest, and resumes', async () => {
    const session = futureSession({ capacity: 100, startsAt: new Date(Date.now() + 60 * 86_400_000).toISOString(), endsAt: new Date(Date.now() + 60 * 86_400_000 + 3_600_000).toISOString() });
    await importSessions(session);
    await seedConfirmedRegistrants(session.sessionId, 12);
    const start = Date.parse(session.startsAt);
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });
    // A forum day of its own for the digest, and the notices run within the week it looks back on.
    const digestAt = new Date(Date.now() + 45 * 86_400_000);
    const noticesAt = new Date(digestAt.getTime() - 3_600_000);
    const account = await sesFront('/_front/account');
    const reached = async () => new Set((await mails()).flatMap((mail) => mail.destination.to).filter((to) => to.startsWith(`seed-${session.sessionId}-`))).size;
    try {
      await sesFront('/_front/account', { max24HourSend: 0 });
      const paused = await runSchedule('notices', noticesAt);
      expect(paused.body.result).toMatchObject({ stopped: 'daily-quota' });
      expect(await reached()).toBe(0);
    } finally {
      await sesFront('/_front/account', account);
    }
    const resumed = await runSchedule('notices', noticesAt);
    expect((resumed.body.result as { stopped?: string }).stopped).toBeUndefined();
    expect(await reached()).toBe(12);
    expect((await runSchedule('digest', digestAt)).status).toBe(200);
    // The digest of that day (other test files send digests of their own days meanwhile).
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Zurich', year: 'numeric', month: '2-digit', day: '2-digit' }).format(digestAt);
    const digest = (await mails('organisers@example.org')).filter((mail) => mail.subject.startsWith(`Convene digest ${day}`)).at(-1)!;
    expect(digest.body.html).toMatch(/Bulk runs paused: SES daily quota nearly spent<\/td>\s*<td[^>]*>[1-9]/);
  });

  it('resumes a fan-out that SES stopped half way without mailing anyone twice, and completes it', async () => {
    const session = futureSession({ capacity: 500 });
    await importSessions(session);
    await seedConfirmedRegistrants(session.sessionId, 180);
    // Earlier tests' pending notices go out first, so the injected failure hits this session's fan-out.
    expect((await runSchedule('notices', afterQuiet())).status).toBe(200);
    const start = Date.parse(session.startsAt);
    await admin()('POST', `/admin/sessions/${session.sessionId}/reschedule`, { startsAt: iso(start + 3_600_000), endsAt: iso(start + 7_200_000) });

    // SES answers 500 to every send after the first 70: the run ends with the rest unreached.
    await sesFront('/_front/faults', { failSendsAfterCalls: 70 });
    const broken = await runSchedule('notices', afterQuiet());
    await sesFront('/_front/faults', {});
    const resumed = await runSchedule('notices', afterQuiet());

    expect(broken.status).toBe(200);
    expect(broken.body.result).toMatchObject({ sent: 70, unreached: 110 });
    expect(resumed.body.result).toMatchObject({ notices: 1, sent: 110, unreached: 0 });
    const perRecipient = new Map<string, number>();
    for (const mail of await mails()) {
      for (const to of mail.destination.to) if (to.startsWith(`seed-${session.sessionId}-`)) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    }
    expect(perRecipient.size).toBe(180);
    expect([...perRecipient.values()].every((n) => n === 1)).toBe(true);
    // Complete: a third run sends nothing.
    expect((await runSchedule('notices', afterQuiet())).body.result).toMatchObject({ sent: 0 });
  });
});
