import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../functions/core/clock.ts';
import { ConcurrencyConflict, RequestError } from '../../functions/core/errors.ts';
import type { BulkEntryResult, BulkMailer, BulkSend } from '../../functions/core/mail/bulk-mailer.ts';
import type { Participant } from '../../functions/core/model.ts';
import type { FanOutProgress, SentMessage } from '../../functions/delivery/fan-out.ts';
import { createTokenSigner } from '../../functions/identity/tokens.ts';
import { changeSession, visibleState, type ChangePlan, type SessionChange } from '../../functions/programme/change-session.ts';
import { InMemoryProgrammeStore } from '../../functions/programme/in-memory-programme-store.ts';
import { sendDueNotices, type NoticeDeps } from '../../functions/programme/send-notices.ts';
import { InMemoryLifecycleStore } from '../../functions/waitlist/in-memory-lifecycle-store.ts';

const T0 = '2026-12-01T08:00:00.000Z';
const minutesAfter = (at: string, minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();
const QUIET = 10;

/** A clock a test can move. */
function movableClock(at: string): Clock & { set(at: string): void } {
  let time = new Date(at);
  return { now: () => new Date(time), set: (next) => void (time = new Date(next)) };
}

/** A mailer that accepts every destination and keeps every call. */
class RecordingMailer implements BulkMailer {
  readonly maxEntries = 50;
  readonly sends: BulkSend[] = [];
  onSend: (() => Promise<void>) | undefined;
  async sendBulk(send: BulkSend): Promise<BulkEntryResult[]> {
    this.sends.push(send);
    await this.onSend?.();
    return send.entries.map((_, i): BulkEntryResult => ({ ok: true, messageId: `m-${this.sends.length}-${i}` }));
  }
}

class MemoryProgress implements FanOutProgress {
  readonly reachedBy = new Map<string, Set<string>>();
  async markSent(call: { jobKey: string; sessionId: string }, sent: ReadonlyArray<SentMessage>) {
    const key = `${call.sessionId}|${call.jobKey}`;
    const reached = this.reachedBy.get(key) ?? new Set<string>();
    for (const message of sent) reached.add(message.participantId);
    this.reachedBy.set(key, reached);
  }
  async reached(sessionId: string, jobKey: string) {
    return new Set(this.reachedBy.get(`${sessionId}|${jobKey}`));
  }
  async markRefused() {}
  async markFailed() {}
  async refusedRuns() {
    return new Map<string, { runs: number; since: Date }>();
  }
}

describe('changeSession', () => {
  let store: InMemoryProgrammeStore;
  let clock: ReturnType<typeof movableClock>;
  let deps: { store: InMemoryProgrammeStore; clock: Clock; quietPeriodMinutes: number };
  const change = (sessionChange: SessionChange) => changeSession(deps, 's1', sessionChange);

  beforeEach(() => {
    store = new InMemoryProgrammeStore();
    store.addSession({
      sessionId: 's1',
      title: { en: 'Open data' },
      startsAt: '2026-12-10T09:00:00.000Z',
      endsAt: '2026-12-10T10:00:00.000Z',
      capacity: 10,
      seatsTaken: 4,
      joinUrl: 'https://meet.example.org/s1',
    });
    clock = movableClock(T0);
    deps = { store, clock, quietPeriodMinutes: QUIET };
  });

  it('a reschedule writes the next version, one Session.Rescheduled event and a notice due after the quiet period', async () => {
    // Prepare
    const original = visibleState(store.sessions.get('s1')!);
    // Act
    const result = await change({ kind: 'reschedule', startsAt: '2026-12-10T13:00:00.000Z', endsAt: '2026-12-10T14:00:00.000Z' });
    // Assess
    expect(result.changed).toBe(true);
    expect(store.sessions.get('s1')).toMatchObject({ version: 2, startsAt: '2026-12-10T13:00:00.000Z', endsAt: '2026-12-10T14:00:00.000Z', seatsTaken: 4 });
    expect(store.events()).toEqual([
      {
        detailType: 'Session.Rescheduled',
        detail: expect.objectContaining({
          sessionId: 's1',
          version: 2,
          previous: expect.objectContaining({ startsAt: '2026-12-10T09:00:00.000Z' }),
          current: expect.objectContaining({ startsAt: '2026-12-10T13:00:00.000Z' }),
        }),
      },
    ]);
    expect(store.notices.get('s1')).toEqual({ sessionId: 's1', baseline: original, changedAt: T0, version: 2, dueAt: minutesAfter(T0, QUIET) });
    expect(store.forumEnd).toBe('2026-12-10T14:00:00.000Z');
  });

  it('a burst of changes within the quiet period coalesces into one pending notice about the final state', async () => {
    // Prepare
    const original = visibleState(store.sessions.get('s1')!);
    // Act: three edits, four minutes apart, each inside the previous one's quiet period.
    await change({ kind: 'reschedule', startsAt: '2026-12-10T13:00:00.000Z', endsAt: '2026-12-10T14:00:00.000Z' });
    clock.set(minutesAfter(T0, 4));
    await change({ kind: 'update', fields: { title: { en: 'Open data, revisited' } } });
    clock.set(minutesAfter(T0, 8));
    await change({ kind: 'reschedule', startsAt: '2026-12-10T15:00:00.000Z', endsAt: '2026-12-10T16:30:00.000Z' });
    // Assess: every change is evented and versioned, but registrants have one notice pending.
    expect(store.events().map((e) => [e.detailType, e.detail.version])).toEqual([
      ['Session.Rescheduled', 2],
      ['Session.Updated', 3],
      ['Session.Rescheduled', 4],
    ]);
    expect([...store.notices.keys()]).toEqual(['s1']);
    // The burst's first change is when registrants' baseline stopped being true.
    expect(store.notices.get('s1')).toEqual({ sessionId: 's1', baseline: original, changedAt: T0, version: 4, dueAt: minutesAfter(T0, 8 + QUIET) });
    // Not due while the burst is not quiet (the first edit's quiet period is over by then), due after.
    expect(await store.dueNotices(new Date(minutesAfter(T0, 12)))).toEqual([]);
    const due = await store.dueNotices(new Date(minutesAfter(T0, 18)));
    expect(due).toHaveLength(1);
    expect(due[0]).toMatchObject({ sessionId: 's1', version: 4, baseline: original });
    expect(visibleState(store.sessions.get('s1')!)).toMatchObject({ title: { en: 'Open data, revisited' }, startsAt: '2026-12-10T15:00:00.000Z', endsAt: '2026-12-10T16:30:00.000Z' });
  });

  it('an edit of one language’s title or description keeps the other translations', async () => {
    // Act: a French translator's edits, one field at a time.
    const merge = (fields: Extract<SessionChange, { kind: 'update' }>['fields']) => change({ kind: 'update', translations: 'merge', fields });
    await merge({ title: { fr: 'Données ouvertes' } });
    // A description without English cannot be where there was none: every page falls back to English.
    await expect(merge({ description: { fr: 'Sur les données ouvertes.' } })).rejects.toMatchObject({ statusCode: 400 });
    await merge({ description: { en: 'About open data.' } });
    await merge({ description: { fr: 'Sur les données ouvertes.' } });
    // Assess
    expect(store.sessions.get('s1')).toMatchObject({ title: { en: 'Open data', fr: 'Données ouvertes' }, description: { en: 'About open data.', fr: 'Sur les données ouvertes.' } });
    // The programme import gives the whole text: a translation it leaves out goes.
    await change({ kind: 'update', fields: { title: { en: 'Open data' } } });
    expect(store.sessions.get('s1')!.title).toEqual({ en: 'Open data' });
  });

  it('a change that alters nothing returns changed: false and writes nothing', async () => {
    // Act
    const result = await change({ kind: 'update', fields: { title: { en: 'Open data' }, capacity: 10 } });
    // Assess
    expect(result).toMatchObject({ changed: false, session: { version: 1 } });
    expect(store.outbox).toEqual([]);
    expect(store.notices.size).toBe(0);
    expect(store.applied).toEqual([]);
  });

  it('a capacity change tells nobody: Session.Updated with from and to, and Session.SeatsReleased when it grows', async () => {
    // Act
    await change({ kind: 'update', fields: { capacity: 12 } });
    // Assess
    expect(store.events()).toEqual([
      { detailType: 'Session.Updated', detail: expect.objectContaining({ version: 2, changed: ['capacity'], capacity: { from: 10, to: 12 } }) },
      { detailType: 'Session.SeatsReleased', detail: expect.objectContaining({ sessionId: 's1', reason: 'capacity-increase' }) },
    ]);
    expect(store.sessions.get('s1')).toMatchObject({ capacity: 12, version: 2, seatsTaken: 4 });
    expect(store.notices.size).toBe(0);
  });

  it('refuses a capacity below the seats already taken with 409, writing nothing', async () => {
    // Act
    const changing = change({ kind: 'update', fields: { capacity: 3 } });
    // Assess
    await expect(changing).rejects.toMatchObject({ statusCode: 409, code: 'capacity_below_seats_taken' });
    expect(store.sessions.get('s1')).toMatchObject({ capacity: 10, version: 1 });
    expect(store.outbox).toEqual([]);
  });

  it('refuses an unknown session with 404 and an end before the start with 400', async () => {
    await expect(changeSession(deps, 'nope', { kind: 'cancel' })).rejects.toMatchObject({ statusCode: 404 });
    await expect(change({ kind: 'reschedule', startsAt: '2026-12-10T13:00:00.000Z', endsAt: '2026-12-10T12:00:00.000Z' })).rejects.toMatchObject({ statusCode: 400 });
    expect(store.outbox).toEqual([]);
  });

  it('a cancellation carries its reason into the event and the notice, and refuses every later change with 409', async () => {
    // Act
    await change({ kind: 'cancel', reason: 'Speaker unavailable' });
    const later = change({ kind: 'update', fields: { title: { en: 'Too late' } } });
    // Assess
    await expect(later).rejects.toMatchObject({ statusCode: 409, code: 'session_cancelled' });
    expect(store.sessions.get('s1')).toMatchObject({ status: 'cancelled', version: 2, title: { en: 'Open data' } });
    expect(store.events()).toEqual([{ detailType: 'Session.Cancelled', detail: expect.objectContaining({ version: 2, reason: 'Speaker unavailable' }) }]);
    expect(store.notices.get('s1')).toMatchObject({ version: 2, reason: 'Speaker unavailable', baseline: { status: 'scheduled' } });
  });

  describe('lost races', () => {
    it('the store refuses a plan made on a stale version with ConcurrencyConflict, writing nothing', async () => {
      // Prepare: a plan made on version 1, then another organiser's change makes version 2.
      let stale: ChangePlan | undefined;
      store.interleave((plan) => void (stale = structuredClone(plan)));
      await change({ kind: 'update', fields: { title: { en: 'First' } } });
      const afterFirst = structuredClone(store.sessions.get('s1'));
      const events = store.outbox.length;
      // Act
      const applying = store.applyChange({ ...stale!, after: { ...stale!.after, title: { en: 'Stale' } } });
      // Assess
      await expect(applying).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(store.sessions.get('s1')).toEqual(afterFirst);
      expect(store.outbox).toHaveLength(events);
    });

    it('a change that loses to a concurrent one re-reads and lands on top of it, in the same pending notice', async () => {
      // Prepare: another organiser renames the session between this reschedule's read and its write.
      const original = visibleState(store.sessions.get('s1')!);
      store.interleave(() => change({ kind: 'update', fields: { title: { en: 'Renamed meanwhile' } } }).then(() => {}));
      // Act
      const result = await change({ kind: 'reschedule', startsAt: '2026-12-10T13:00:00.000Z', endsAt: '2026-12-10T14:00:00.000Z' });
      // Assess: both edits survive, each with its own version, and the baseline is the state before both.
      expect(result.session).toMatchObject({ version: 3, title: { en: 'Renamed meanwhile' }, startsAt: '2026-12-10T13:00:00.000Z' });
      expect(store.sessions.get('s1')).toMatchObject({ version: 3, title: { en: 'Renamed meanwhile' }, startsAt: '2026-12-10T13:00:00.000Z' });
      expect(store.events().map((e) => [e.detailType, e.detail.version])).toEqual([
        ['Session.Updated', 2],
        ['Session.Rescheduled', 3],
      ]);
      expect(store.notices.get('s1')).toMatchObject({ version: 3, baseline: original });
    });

    it('gives up with ConcurrencyConflict after five lost races, having written nothing', async () => {
      // Prepare
      store.conflictsToInject = 5;
      // Act
      const changing = change({ kind: 'update', fields: { title: { en: 'Never' } } });
      // Assess
      await expect(changing).rejects.toBeInstanceOf(ConcurrencyConflict);
      expect(store.sessions.get('s1')).toMatchObject({ version: 1, title: { en: 'Open data' } });
      expect(store.outbox).toEqual([]);
      expect(store.notices.size).toBe(0);
    });

    it('wins on the fifth attempt after four lost races', async () => {
      // Prepare
      store.conflictsToInject = 4;
      // Act
      await change({ kind: 'update', fields: { title: { en: 'At last' } } });
      // Assess
      expect(store.sessions.get('s1')).toMatchObject({ version: 2, title: { en: 'At last' } });
      expect(store.outbox).toHaveLength(1);
    });

    it('seats taken above the new capacity between the read and the write refuse the change with 409', async () => {
      // Prepare: registrations (through the lifecycle store, same session item) take two seats meanwhile.
      const lifecycle = new InMemoryLifecycleStore(store.sessions);
      store.interleave(() => {
        lifecycle.addRegistration({ sessionId: 's1', participantId: 'late-1', status: 'confirmed' });
        lifecycle.addRegistration({ sessionId: 's1', participantId: 'late-2', status: 'confirmed' });
      });
      // Act
      const changing = change({ kind: 'update', fields: { capacity: 5 } });
      // Assess
      await expect(changing).rejects.toSatisfy((error: unknown) => error instanceof RequestError && error.statusCode === 409 && error.code === 'capacity_below_seats_taken');
      expect(store.sessions.get('s1')).toMatchObject({ capacity: 10, version: 1, seatsTaken: 6 });
      expect(store.outbox).toEqual([]);
    });

    it('a change never overwrites the counters that registrations moved meanwhile', async () => {
      // Prepare
      const lifecycle = new InMemoryLifecycleStore(store.sessions);
      store.interleave(() => void lifecycle.addRegistration({ sessionId: 's1', participantId: 'late', status: 'waitlisted' }));
      // Act
      await change({ kind: 'update', fields: { title: { en: 'Renamed' } } });
      // Assess
      expect(store.sessions.get('s1')).toMatchObject({ version: 2, title: { en: 'Renamed' }, seatsTaken: 4, waitlistCount: 1, waitlistSeq: 1 });
    });
  });

  describe('sending the coalesced notice', () => {
    let lifecycle: InMemoryLifecycleStore;
    let mailer: RecordingMailer;
    let noticeDeps: NoticeDeps;
    const participants = new Map<string, Participant>([
      [
        'p1',
        {
          participantId: 'p1',
          name: 'Ada Lovelace',
          email: 'ada@example.org',
          organisation: 'Analytical Engines',
          stakeholderType: 'academia',
          country: 'GB',
          language: 'en',
          timeZone: 'Europe/London',
          createdAt: T0,
        },
      ],
    ]);

    beforeEach(() => {
      lifecycle = new InMemoryLifecycleStore(store.sessions);
      lifecycle.addRegistration({ sessionId: 's1', participantId: 'p1', status: 'confirmed' });
      mailer = new RecordingMailer();
      noticeDeps = {
        mailer,
        progress: new MemoryProgress(),
        clock,
        sleep: async () => {},
        notices: store,
        registrations: lifecycle,
        participants: { getParticipants: async (ids) => new Map(ids.flatMap((id) => (participants.has(id) ? [[id, participants.get(id)!] as const] : []))) },
        tokens: createTokenSigner('x'.repeat(32)),
        context: { from: 'forum@example.org', publicUrl: 'https://forum.example.org', forumTimeZone: 'Europe/Zurich' },
        tokenTtlDays: 30,
      };
    });

    it('a burst is mailed once, from the time registrants were last told to the final time, and the notice closes', async () => {
      // Prepare: a burst of two moves.
      await change({ kind: 'reschedule', startsAt: '2026-12-10T13:00:00.000Z', endsAt: '2026-12-10T14:00:00.000Z' });
      clock.set(minutesAfter(T0, 5));
      await change({ kind: 'reschedule', startsAt: '2026-12-10T15:00:00.000Z', endsAt: '2026-12-10T16:00:00.000Z' });
      const at = new Date(minutesAfter(T0, 5 + QUIET));
      clock.set(at.toISOString());
      // Act
      const totals = await sendDueNotices(noticeDeps, at);
      // Assess
      expect(totals).toMatchObject({ notices: 1, sent: 1, failed: 0 });
      expect(mailer.sends).toHaveLength(1);
      const [entry] = mailer.sends[0]!.entries;
      expect(entry!.to).toBe('ada@example.org');
      expect(entry!.data.subject).toContain('moved');
      // From the time registrants were told (09:00) to the final one (15:00), never the one in between.
      expect(entry!.data.bodyText).toMatch(/It was .*09:00.*; it is now .*15:00/);
      expect(entry!.data.bodyText).not.toContain('13:00');
      expect(store.notices.size).toBe(0);
    });

    it('a burst that ends where it began mails nobody and closes the notice', async () => {
      // Prepare: moved, then moved back within the quiet period.
      await change({ kind: 'reschedule', startsAt: '2026-12-10T13:00:00.000Z', endsAt: '2026-12-10T14:00:00.000Z' });
      clock.set(minutesAfter(T0, 2));
      await change({ kind: 'reschedule', startsAt: '2026-12-10T09:00:00.000Z', endsAt: '2026-12-10T10:00:00.000Z' });
      const at = new Date(minutesAfter(T0, 2 + QUIET));
      // Act
      const totals = await sendDueNotices(noticeDeps, at);
      // Assess
      expect(totals).toMatchObject({ notices: 0, sent: 0 });
      expect(mailer.sends).toEqual([]);
      expect(store.notices.size).toBe(0);
      expect(store.sessions.get('s1')!.version).toBe(3);
    });

    it('a change made while the notice is being mailed keeps it pending, with what was mailed as its baseline', async () => {
      // Prepare: a move; an organiser renames the session while its notice is going out.
      await change({ kind: 'reschedule', startsAt: '2026-12-10T13:00:00.000Z', endsAt: '2026-12-10T14:00:00.000Z' });
      const mailed = visibleState(store.sessions.get('s1')!);
      const at = new Date(minutesAfter(T0, QUIET));
      clock.set(at.toISOString());
      mailer.onSend = async () => {
        mailer.onSend = undefined;
        await change({ kind: 'update', fields: { title: { en: 'Renamed during the send' } } });
      };
      // Act
      await sendDueNotices(noticeDeps, at);
      // Assess: the rename gets its own notice later, told against what registrants just heard.
      expect(mailer.sends).toHaveLength(1);
      expect(store.notices.get('s1')).toMatchObject({ version: 3, baseline: mailed, dueAt: minutesAfter(T0, 2 * QUIET) });
      const next = await sendDueNotices(noticeDeps, new Date(minutesAfter(T0, 2 * QUIET)));
      expect(next).toMatchObject({ notices: 1, sent: 1 });
      expect(mailer.sends[1]!.entries[0]!.data.subject).toContain('Renamed during the send');
      expect(mailer.sends[1]!.entries[0]!.data.subject).toContain('updated');
      expect(store.notices.size).toBe(0);
    });
  });
});
