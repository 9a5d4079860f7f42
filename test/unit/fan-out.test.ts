import { describe, expect, it } from 'vitest';
import { fanOut, type FanOutProgress, type Recipient, type SentMessage, MAX_REFUSED_RUNS, GIVE_UP_AFTER_MS, foldRefusals, type RefusedRun } from '../../functions/delivery/fan-out.ts';
import { readAhead } from '../../functions/delivery/recipients.ts';
import { InMemoryRateLedger } from '../../functions/delivery/in-memory-rate-ledger.ts';
import { SharedRatePace } from '../../functions/delivery/send-pace.ts';
import type { BulkEntryResult, BulkMailer, BulkSend } from '../../functions/core/mail/bulk-mailer.ts';
import type { Language } from '../../functions/core/model.ts';

/** In-memory progress: one record per call, as the DynamoDB adapter keeps it. */
class MemoryProgress implements FanOutProgress {
  readonly calls: Array<{ jobKey: string; kind: string; sessionId: string; participantIds: string[]; messageIds: string[] }> = [];
  async markSent(call: { jobKey: string; kind: string; sessionId: string }, sent: ReadonlyArray<SentMessage>) {
    // A write takes a moment, as a real one does (fanOut overlaps it with the next call).
    await new Promise((resolve) => setTimeout(resolve, 2));
    this.calls.push({ ...call, participantIds: sent.map((m) => m.participantId), messageIds: sent.map((m) => m.messageId) });
  }
  async reached(sessionId: string, jobKey: string) {
    return new Set(this.calls.filter((c) => c.sessionId === sessionId && c.jobKey === jobKey).flatMap((c) => c.participantIds));
  }
  readonly refusals: Array<RefusedRun & { jobKey: string; sessionId: string }> = [];
  async markRefused(call: { jobKey: string; sessionId: string }, participantIds: readonly string[], at: Date, mark?: { gaveUp: true }) {
    this.refusals.push({ jobKey: call.jobKey, sessionId: call.sessionId, participantIds, at: at.toISOString(), ...(mark ?? {}) });
  }
  async refusedRuns(sessionId: string, jobKey: string) {
    return foldRefusals(this.refusals.filter((r) => r.sessionId === sessionId && r.jobKey === jobKey));
  }
  readonly failures: Array<{ jobKey: string; participantId: string; error: string }> = [];
  async markFailed(call: { jobKey: string }, failed: ReadonlyArray<{ participantId: string; error: string }>) {
    for (const failure of failed) this.failures.push({ jobKey: call.jobKey, ...failure });
  }
}

/** A mailer that records every destination it accepted; `behaviour` decides each call's fate. */
class RecordingMailer implements BulkMailer {
  readonly maxEntries = 50;
  readonly sent: string[] = [];
  readonly sends: BulkSend[] = [];
  calls = 0;
  constructor(private readonly behaviour: (call: number, send: BulkSend) => BulkEntryResult[] | Error | undefined = () => undefined) {}
  async sendBulk(send: BulkSend): Promise<BulkEntryResult[]> {
    const call = ++this.calls;
    this.sends.push(send);
    const outcome = this.behaviour(call, send);
    if (outcome instanceof Error) throw outcome;
    const results = outcome ?? send.entries.map((): BulkEntryResult => ({ ok: true, messageId: `m-${call}-${Math.random()}` }));
    send.entries.forEach((entry, index) => results[index]?.ok && this.sent.push(entry.to));
    return results;
  }
}

const languages: Language[] = ['ar', 'en', 'es', 'fr', 'ru', 'zh'];
const recipients = (count: number): Recipient[] =>
  Array.from({ length: count }, (_, i) => ({ participantId: `p${String(i).padStart(4, '0')}`, sessionId: 's1', email: `p${i}@example.org`, language: languages[i % 6]!, data: { name: `P ${i}` } }));
const content = () => ({ template: { subject: 'Moved', html: '<p>{{name}}</p>', text: '{{name}}' } });
const deps = (mailer: BulkMailer, progress: FanOutProgress) => ({
  mailer,
  progress,
  clock: { now: () => new Date('2026-12-01T08:00:00Z') },
  sleep: async () => {},
});

describe('fanOut', () => {
  it(`gives up a recipient SES refuses for themselves in ${MAX_REFUSED_RUNS} runs, so the job completes; a recipient refused only for the account is never given up`, async () => {
    // Prepare: p0000 is refused FAILED on every try; p0006 is throttled on every try; everyone else is accepted.
    const refused = (to: string, forever: string): BulkEntryResult => ({ ok: false, retryable: true, error: forever === 'failed' ? `FAILED: ${to}` : 'ACCOUNT_THROTTLED: rate' });
    const mailer = new RecordingMailer((_, send) =>
      send.entries.map((entry): BulkEntryResult => (entry.to === 'p0@example.org' ? refused(entry.to, 'failed') : entry.to === 'p6@example.org' ? refused(entry.to, 'throttled') : { ok: true, messageId: `m-${Math.random()}` })),
    );
    const progress = new MemoryProgress();
    // One run an hour: the first refusal is past GIVE_UP_AFTER_MS well before the tenth run.
    let run = 0;
    const job = async () => fanOut({ ...deps(mailer, progress), clock: { now: () => new Date(Date.parse('2026-12-01T08:00:00Z') + run * 3_600_000) } }, { key: 'notice-v9', kind: 'notice', recipients: [...recipients(12)].filter((r) => !(progress.calls.flatMap((c) => c.participantIds)).includes(r.participantId)), content });
    // Act: one run after another, as the schedule would, until the job completes or far past the cap.
    const runs: Awaited<ReturnType<typeof job>>[] = [];
    for (run = 0; run < MAX_REFUSED_RUNS + 3; run++) runs.push(await job());
    // Assess: p0000 was tried in MAX_REFUSED_RUNS runs, then given up as failed for good, reported once.
    const failed = runs.flatMap((r) => r.failed);
    expect(failed).toEqual([{ participantId: 'p0000', error: `GAVE_UP: refused in ${MAX_REFUSED_RUNS} runs` }]);
    expect(runs[MAX_REFUSED_RUNS]!.failed).toHaveLength(1);
    // Recorded for the deliveries list once, by the run that gave up.
    expect(progress.failures).toEqual([{ jobKey: 'notice-v9', participantId: 'p0000', error: `GAVE_UP: refused in ${MAX_REFUSED_RUNS} runs` }]);
    // Tried on every retry (the first try and 6 more) of each of those runs, and never after.
    expect(mailer.sends.flatMap((send) => send.entries).filter((entry) => entry.to === 'p0@example.org')).toHaveLength(MAX_REFUSED_RUNS * (1 + 6));
    // Later runs still go on for the throttled one.
    expect(runs[MAX_REFUSED_RUNS + 2]!.calls).toBeGreaterThan(0);
    // The throttled one is never counted against the recipient: still unreached, never given up.
    expect((await progress.refusedRuns('s1', 'notice-v9')).has('p0006')).toBe(false);
    expect(runs.every((r) => r.unreached >= 1 && !r.complete)).toBe(true);
    // Everyone else was mailed exactly once.
    expect(new Set(mailer.sent).size).toBe(10);
    expect(mailer.sent).toHaveLength(10);
  });

  it(`completes the job once the only recipient left is given up after ${MAX_REFUSED_RUNS} runs`, async () => {
    const mailer = new RecordingMailer((_, send) => send.entries.map((entry): BulkEntryResult => (entry.to === 'p0@example.org' ? { ok: false, retryable: true, error: 'FAILED: mailbox' } : { ok: true, messageId: `m-${Math.random()}` })));
    const progress = new MemoryProgress();
    const left = () => recipients(3).filter((r) => !progress.calls.flatMap((c) => c.participantIds).includes(r.participantId));
    const results = [];
    const at = (run: number, stepMs: number) => ({ now: () => new Date(Date.parse('2026-12-01T08:00:00Z') + run * stepMs) });
    for (let run = 0; run <= MAX_REFUSED_RUNS; run++) results.push(await fanOut({ ...deps(mailer, progress), clock: at(run, 3_600_000) }, { key: 'reminder-1', kind: 'reminder', recipients: left(), content }));
    expect(results.slice(0, MAX_REFUSED_RUNS).every((r) => !r.complete && r.unreached === 1)).toBe(true);
    expect(results[MAX_REFUSED_RUNS]).toMatchObject({ complete: true, unreached: 0, failed: [{ participantId: 'p0000', error: `GAVE_UP: refused in ${MAX_REFUSED_RUNS} runs` }] });
  });

  it(`gives nobody up while the refusals span less than ${GIVE_UP_AFTER_MS / 3_600_000} hours, however many runs (an SES incident refuses everyone)`, async () => {
    const mailer = new RecordingMailer((_, send) => send.entries.map((): BulkEntryResult => ({ ok: false, retryable: true, error: 'FAILED: incident' })));
    const progress = new MemoryProgress();
    const results = [];
    // A run a minute, as the notices schedule: 30 runs in half an hour.
    for (let run = 0; run < 30; run++) results.push(await fanOut({ ...deps(mailer, progress), clock: { now: () => new Date(Date.parse('2026-12-01T08:00:00Z') + run * 60_000) } }, { key: 'notice-v3', kind: 'notice', recipients: recipients(4), content }));
    expect(results.flatMap((r) => r.failed)).toEqual([]);
    expect(results.every((r) => !r.complete && r.unreached === 4)).toBe(true);
    expect((await progress.refusedRuns('s1', 'notice-v3')).get('p0000')).toMatchObject({ runs: 30 });
  });

  it('groups by language, sends at most 50 per call, and records one progress item per call', async () => {
    const mailer = new RecordingMailer();
    const progress = new MemoryProgress();
    const result = await fanOut(deps(mailer, progress), { key: 'notice-v2', kind: 'notice', recipients: recipients(600), content });
    expect(result).toMatchObject({ sent: 600, failed: [] });
    // 100 per language → 2 calls each.
    expect(result.calls).toBe(12);
    expect(progress.calls).toHaveLength(12);
    expect(progress.calls.every((c) => c.participantIds.length === 50)).toBe(true);
    expect(new Set(mailer.sent).size).toBe(600);
    // The progress items are the log of the bulk mails: every recipient with its message id, once.
    expect(progress.calls.flatMap((c) => c.participantIds).sort()).toEqual(recipients(600).map((r) => r.participantId));
    expect(new Set(progress.calls.flatMap((c) => c.messageIds)).size).toBe(600);
    expect(progress.calls.every((c) => c.kind === 'notice')).toBe(true);
    // Each message is tagged so its delivery events find their participant, session and kind.
    expect(mailer.sends[0]!.tags).toMatchObject({ kind: 'notice', session: 's1' });
    expect(mailer.sends.flatMap((s) => s.entries.map((e) => e.tags?.participant)).sort()).toEqual(recipients(600).map((r) => r.participantId));
  });

  it('resumes after a call fails for good, without mailing anyone twice', async () => {
    const all = recipients(300);
    const progress = new MemoryProgress();
    const failing = new RecordingMailer((call) => (call === 4 ? Object.assign(new Error('boom'), { name: 'MessageRejected' }) : undefined));
    await expect(fanOut(deps(failing, progress), { key: 'notice-v2', kind: 'notice', recipients: all, content })).rejects.toThrow('boom');
    const reached = await progress.reached('s1', 'notice-v2');
    expect(reached.size).toBe(failing.sent.length);
    expect(reached.size).toBeGreaterThan(0);

    const healthy = new RecordingMailer();
    const rest = all.filter((r) => !reached.has(r.participantId));
    const resumed = await fanOut(deps(healthy, progress), { key: 'notice-v2', kind: 'notice', recipients: rest, content });
    expect(resumed.sent).toBe(300 - reached.size);
    const everyone = [...failing.sent, ...healthy.sent];
    expect(everyone).toHaveLength(300);
    expect(new Set(everyone).size).toBe(300);
    // A job's progress never counts for another job.
    expect((await progress.reached('s1', 'notice-v3')).size).toBe(0);
  });

  it('backs off and retries a throttled call, and retries failed entries in a later round', async () => {
    const mailer = new RecordingMailer((call, send) => {
      if (call === 1) return Object.assign(new Error('slow down'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
      if (call === 2) return send.entries.map((_, i): BulkEntryResult => (i === 0 ? { ok: false, retryable: true, error: 'throttled' } : { ok: true, messageId: `m${i}` }));
      return undefined;
    });
    const progress = new MemoryProgress();
    const result = await fanOut(deps(mailer, progress), { key: 'r', kind: 'reminder', recipients: recipients(6).map((r) => ({ ...r, language: 'fr' as const })), content });
    expect(result).toMatchObject({ sent: 6, calls: 3, failed: [] });
    expect(new Set(mailer.sent).size).toBe(6);
    expect((await progress.reached('s1', 'r')).size).toBe(6);
  });

  it('paces calls to its share of the account rate: calls no larger than one second allows, spaced to the rate', async () => {
    // Prepare: a virtual clock the pace sleeps on, and a mailer that notes when each call went out.
    let now = 0;
    // Two calls may be in flight, so sleeps wake in the order of their wake-up times (a real timer, 50
    // times faster), each moving the clock to its own wake-up time.
    const pace = new SharedRatePace(20, new InMemoryRateLedger(), () => now, async (ms) => {
      const wake = now + ms;
      await new Promise((resolve) => setTimeout(resolve, ms / 50));
      now = Math.max(now, wake);
    });
    const at: Array<{ time: number; size: number }> = [];
    const mailer = new RecordingMailer((_, send) => void at.push({ time: now, size: send.entries.length }));
    // Act
    const result = await fanOut({ ...deps(mailer, new MemoryProgress()), pace }, { key: 'n', kind: 'notice', recipients: recipients(200).map((r) => ({ ...r, language: 'en' as const })), content });
    // Assess: 20 calls of 10, half a second apart, so no second ever holds more than 20 recipients.
    expect(result).toMatchObject({ sent: 200, complete: true, unreached: 0 });
    expect(at.map((c) => c.size)).toEqual(Array(20).fill(10));
    expect(at.map((c) => c.time)).toEqual(Array.from({ length: 20 }, (_, i) => i * 500));
  });

  it('fails the run when a call in flight fails for good, even after it left the calls in flight', async () => {
    const mailer = new RecordingMailer((call) => (call === 1 ? Object.assign(new Error('MessageRejected'), { name: 'MessageRejected', $metadata: { httpStatusCode: 400 } }) : undefined));
    const run = fanOut({ ...deps(mailer, new MemoryProgress()), pace: new SharedRatePace(1_000_000, new InMemoryRateLedger()) }, { key: 'x', kind: 'notice', recipients: recipients(600), content });
    await expect(run).rejects.toThrow('MessageRejected');
  });

  it('paces a sandbox-slow account below 2 a second: one recipient per slot, slots as long as the rate needs', async () => {
    const pace = new SharedRatePace(0.7, new InMemoryRateLedger());
    expect(pace.perCall).toBe(1);
    expect(pace.slotMs).toBe(1429);
    await expect(pace.take(2)).rejects.toThrow('exceeds');
  });

  it('shares the rate between two jobs at once: together they never exceed it, and each gets about half', async () => {
    // Prepare: one virtual clock and one ledger for a notices run and a reminders run that overlap.
    let now = 0;
    const sleep = async (ms: number) => {
      const wake = now + ms;
      await new Promise((resolve) => setTimeout(resolve, ms / 50));
      now = Math.max(now, wake);
    };
    const ledger = new InMemoryRateLedger();
    const perSlot = new Map<number, number>();
    const mailer = new RecordingMailer((_, send) => void perSlot.set(Math.floor(now / 500), (perSlot.get(Math.floor(now / 500)) ?? 0) + send.entries.length));
    const job = (key: string) => ({ key, kind: 'notice', recipients: recipients(100).map((r) => ({ ...r, participantId: `${key}-${r.participantId}`, language: 'en' as const })), content });
    // Act
    const [a, b] = await Promise.all(
      ['a', 'b'].map((key) => fanOut({ ...deps(mailer, new MemoryProgress()), pace: new SharedRatePace(20, ledger, () => now, sleep) }, job(key))),
    );
    // Assess: 200 recipients at 20 a second take 20 half-second slots of 10, never more in one.
    expect([a!.sent, b!.sent]).toEqual([100, 100]);
    expect(Math.max(...perSlot.values())).toBeLessThanOrEqual(10);
    expect(perSlot.size).toBe(20);
  });

  it('keeps four calls in flight when paced, so a slow call does not set the rate, and one unpaced', async () => {
    // Prepare: a mailer whose calls take a while, noting how many are in flight at once.
    const slowMailer = () => {
      let open = 0;
      const mailer = Object.assign(new RecordingMailer(), { most: 0 });
      const send = mailer.sendBulk.bind(mailer);
      mailer.sendBulk = async (bulk) => {
        mailer.most = Math.max(mailer.most, ++open);
        await new Promise((resolve) => setTimeout(resolve, 5));
        open--;
        return send(bulk);
      };
      return mailer;
    };
    const paced = slowMailer();
    const unpacedMailer = slowMailer();
    const job = (key: string) => ({ key, kind: 'notice', recipients: recipients(300).map((r) => ({ ...r, language: 'en' as const })), content });
    // Act: a pace fast enough that only the calls' own latency could hold the run back.
    const progress = new MemoryProgress();
    const result = await fanOut({ ...deps(paced, progress), pace: new SharedRatePace(1_000_000, new InMemoryRateLedger()) }, job('a'));
    await fanOut(deps(unpacedMailer, new MemoryProgress()), job('b'));
    // Assess: four at once, never more; everyone reached once and recorded.
    expect(paced.most).toBe(4);
    expect(unpacedMailer.most).toBe(1);
    expect(result).toMatchObject({ sent: 300, complete: true });
    expect(new Set(paced.sent).size).toBe(300);
    expect((await progress.reached('s1', 'a')).size).toBe(300);
  });

  it('leaves recipients SES keeps refusing for now unreached, not failed, and the job incomplete', async () => {
    const mailer = new RecordingMailer((_, send) => send.entries.map((e, i): BulkEntryResult => (i === 0 ? { ok: false, retryable: true, error: 'ACCOUNT_THROTTLED: ' } : { ok: true, messageId: e.to })));
    const progress = new MemoryProgress();
    const result = await fanOut(deps(mailer, progress), { key: 'k', kind: 'notice', recipients: recipients(3).map((r) => ({ ...r, language: 'en' as const })), content });
    expect(result).toMatchObject({ complete: false, unreached: 1, failed: [] });
    expect(result.sent).toBe(2);
    // The next run resumes with whoever is not reached: the refused one.
    const reached = await progress.reached('s1', 'k');
    const later = new RecordingMailer();
    const again = await fanOut(deps(later, progress), { key: 'k', kind: 'notice', recipients: recipients(3).map((r) => ({ ...r, language: 'en' as const })).filter((r) => !reached.has(r.participantId)), content });
    expect(again).toMatchObject({ complete: true, sent: 1 });
    expect(later.sent).toEqual(['p0@example.org']);
  });

  it('stops starting calls when its time is up or the daily allowance is spent, and says so', async () => {
    let calls = 0;
    const mailer = new RecordingMailer(() => void calls++);
    const timed = await fanOut({ ...deps(mailer, new MemoryProgress()), shouldStop: () => calls >= 2 }, { key: 't', kind: 'notice', recipients: recipients(300).map((r) => ({ ...r, language: 'en' as const })), content });
    expect(timed).toMatchObject({ complete: false, stopped: 'deadline', sent: 100 });
    const quota = await fanOut({ ...deps(new RecordingMailer(), new MemoryProgress()), allowance: { left: 120 } }, { key: 'q', kind: 'notice', recipients: recipients(300).map((r) => ({ ...r, language: 'en' as const })), content });
    expect(quota).toMatchObject({ complete: false, stopped: 'daily-quota', sent: 100 });
  });

  it('reports entries that fail for good and does not mark them reached', async () => {
    const mailer = new RecordingMailer((_, send) => send.entries.map((e, i): BulkEntryResult => (i === 1 ? { ok: false, retryable: false, error: 'bad address' } : { ok: true, messageId: e.to })));
    const progress = new MemoryProgress();
    const result = await fanOut(deps(mailer, progress), { key: 'k', kind: 'notice', recipients: recipients(3).map((r) => ({ ...r, language: 'en' as const })), content });
    expect(result.sent).toBe(2);
    expect(result.failed).toEqual([{ participantId: 'p0001', error: 'bad address' }]);
    expect((await progress.reached('s1', 'k')).has('p0001')).toBe(false);
    // Recorded for the session's deliveries, with SES's reason.
    expect(progress.failures).toEqual([{ jobKey: 'k', participantId: 'p0001', error: 'bad address' }]);
  });

  it('mails page by page, reading the next page while sending, with at most one partial call per language', async () => {
    const all = recipients(1000);
    const timeline: string[] = [];
    async function* pages() {
      for (let page = 0; page < 5; page++) {
        timeline.push(`start ${page}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        timeline.push(`read ${page}`);
        yield all.slice(page * 200, page * 200 + 200);
      }
    }
    const mailer = new RecordingMailer((call) => void timeline.push(`send ${call}`));
    const result = await fanOut(deps(mailer, new MemoryProgress()), { key: 'n', kind: 'notice', recipients: readAhead(pages()), content });
    expect(result.sent).toBe(1000);
    expect(new Set(mailer.sent).size).toBe(1000);
    // 1000 in 6 languages: 167 or 166 each, so 4 calls per language.
    expect(result.calls).toBeLessThanOrEqual(Math.ceil(1000 / 50) + 6);
    expect(result.calls).toBe(24);
    // Mailing starts before the last page is read, and the next page is already being read when the
    // calls of the current one go out.
    expect(timeline.indexOf('send 1')).toBeLessThan(timeline.indexOf('read 4'));
    expect(timeline.indexOf('start 2')).toBeLessThan(timeline.indexOf('send 1'));
  });

  it('reads ahead without losing a failure of the step ahead', async () => {
    async function* failing() {
      yield 1;
      throw new Error('page 2 failed');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of readAhead(failing())) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          seen.push(value);
        }
      })(),
    ).rejects.toThrow('page 2 failed');
    expect(seen).toEqual([1]);
  });

  it('stops when a progress record fails, having recorded the call mailed meanwhile', async () => {
    // Prepare: the second record fails; calls go on while it is in flight.
    class FlakyProgress extends MemoryProgress {
      writes = 0;
      override async markSent(call: { jobKey: string; kind: string; sessionId: string }, sent: ReadonlyArray<SentMessage>) {
        if (++this.writes === 2) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          throw new Error('table unavailable');
        }
        return super.markSent(call, sent);
      }
    }
    const progress = new FlakyProgress();
    const mailer = new RecordingMailer();
    // Act
    await expect(fanOut(deps(mailer, progress), { key: 'n', kind: 'notice', recipients: recipients(300).map((r) => ({ ...r, language: 'en' as const })), content })).rejects.toThrow('table unavailable');
    // Assess: three calls went out; the first and third are recorded, only the second call's 50 would be mailed again.
    expect(mailer.calls).toBe(3);
    const reached = await progress.reached('s1', 'n');
    expect(reached.size).toBe(100);
    expect(mailer.sent.length - reached.size).toBe(50);
  });
});
