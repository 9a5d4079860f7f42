import { describe, expect, it } from 'vitest';
import { InMemoryRateLedger } from '../../functions/delivery/in-memory-rate-ledger.ts';
import { ACCOUNT_SHARE, accountGrid, BULK_SHARE, cachedSendQuota, SharedRatePace, TransactionalPace, type SendQuota } from '../../functions/delivery/send-pace.ts';

/** A virtual clock the paces sleep on: each sleep wakes (50 times faster, in wake-up order) at its own time. */
function virtualClock() {
  const clock = {
    now: 0,
    sleep: async (ms: number) => {
      const wake = clock.now + ms;
      await new Promise((resolve) => setTimeout(resolve, ms / 50));
      clock.now = Math.max(clock.now, wake);
    },
  };
  return clock;
}

/** The most recipients sent within any one second (SES's sliding window), from send times. */
function peakPerSecond(sends: Array<{ at: number; n: number }>): number {
  const sorted = [...sends].sort((a, b) => a.at - b.at);
  let peak = 0;
  for (const start of sorted) peak = Math.max(peak, sorted.filter((s) => s.at >= start.at && s.at < start.at + 1000).reduce((sum, s) => sum + s.n, 0));
  return peak;
}

const quotaAt = (maxSendRate: number): SendQuota => ({ maxSendRate, max24HourSend: 50_000, sentLast24Hours: 0 });

describe('the account grid', () => {
  it('holds a bulk call in each slot and the transactional reserve on top, within 90 % of the rate', () => {
    expect(accountGrid(20)).toEqual({ perCall: 7, slotMs: 500, capacity: 9 });
    expect(accountGrid(200)).toEqual({ perCall: 50, slotMs: 358, capacity: 64 });
    expect(accountGrid(14)).toEqual({ perCall: 4, slotMs: 409, capacity: 5 });
    // A sandbox's 1 a second: one recipient a slot, whoever sends it.
    expect(accountGrid(1)).toEqual({ perCall: 1, slotMs: 1429, capacity: 1 });
    for (const rate of [1, 2, 14, 20, 50, 200, 1000]) {
      const grid = accountGrid(rate);
      expect(grid.capacity).toBeGreaterThanOrEqual(grid.perCall);
      expect((grid.capacity * 1000) / grid.slotMs).toBeLessThanOrEqual(rate * ACCOUNT_SHARE + 1e-9);
    }
  });
});

describe('the transactional pace', () => {
  it('spreads a rush of answers evenly at 90 % of the rate, so SES never sees a second over it', async () => {
    // Prepare: 60 answers at once (a consumer's records in flight) against an account of 20 a second.
    const clock = virtualClock();
    const pace = new TransactionalPace(async () => quotaAt(20), new InMemoryRateLedger(), () => clock.now, clock.sleep);
    const sends: Array<{ at: number; n: number }> = [];
    // Act
    await Promise.all(Array.from({ length: 60 }, () => pace.take().then(() => void sends.push({ at: clock.now, n: 1 }))));
    // Assess: 18 a second (9 per half-second slot), one every 56 ms or so, all 60 within 3.4 s.
    expect(sends).toHaveLength(60);
    expect(peakPerSecond(sends)).toBeLessThanOrEqual(18);
    expect(Math.max(...sends.map((s) => s.at))).toBeLessThan(3400);
    const gaps = sends.map((s) => s.at).sort((a, b) => a - b).slice(1).map((at, i, all) => at - (i === 0 ? 0 : all[i - 1]!));
    expect(Math.min(...gaps.slice(1))).toBeGreaterThanOrEqual(50);
  });

  it('shares the slots with a bulk job: no slot over the account grid, answers first, bulk mail still moving', async () => {
    // Prepare: one ledger for a notices run's pace and the answers' pace, at 20 a second, noting what
    // each slot grants (a claim's places past the capacity are not granted).
    const clock = virtualClock();
    const ledger = new InMemoryRateLedger();
    const { capacity, perCall } = accountGrid(20);
    const granted = new Map<number, { bulk: number; answers: number }>();
    const grant = (index: number, kind: 'bulk' | 'answers', n: number) => {
      const slot = granted.get(index) ?? { bulk: 0, answers: 0 };
      slot[kind] += n;
      granted.set(index, slot);
    };
    const noting = {
      reserve: async (slot: { index: number; slotMs: number }, n: number, limits: { total: number; bulk?: number }) => {
        const before = await ledger.reserve(slot, n, limits);
        if (before !== undefined) grant(slot.index, 'bulk', n);
        return before;
      },
      claim: async (slot: { index: number; slotMs: number }, places: number) => {
        const before = await ledger.claim(slot, places);
        grant(slot.index, 'answers', Math.max(0, Math.min(places, capacity - before)));
        return before;
      },
    };
    // As bulkPace(quota, ledger) makes it, on the virtual clock.
    const bulk = new SharedRatePace(20 * BULK_SHARE, noting, () => clock.now, clock.sleep, undefined, capacity);
    const answers = new TransactionalPace(async () => quotaAt(20), noting, () => clock.now, clock.sleep);
    const sends: Array<{ at: number; kind: 'bulk' | 'answer' }> = [];
    // Act: 20 bulk calls of 7, one after another, and 40 answers arriving during them.
    const bulkRun = (async () => {
      for (let i = 0; i < 20; i++) {
        await bulk.take(perCall);
        sends.push({ at: clock.now, kind: 'bulk' });
      }
    })();
    const answerRun = Promise.all(Array.from({ length: 40 }, () => answers.take().then(() => void sends.push({ at: clock.now, kind: 'answer' }))));
    await Promise.all([bulkRun, answerRun]);
    // Assess: no slot grants more than 9 (18 a second), nor bulk mail more than its call of 7; every
    // bulk call and answer went out, the answers within the first half of the bulk run.
    for (const slot of granted.values()) {
      expect(slot.bulk + slot.answers).toBeLessThanOrEqual(capacity);
      expect(slot.bulk).toBeLessThanOrEqual(perCall);
    }
    expect([...granted.values()].reduce((sum, slot) => sum + slot.answers, 0)).toBe(40);
    expect(sends.filter((s) => s.kind === 'bulk')).toHaveLength(20);
    const lastAnswer = Math.max(...sends.filter((s) => s.kind === 'answer').map((s) => s.at));
    const lastBulk = Math.max(...sends.filter((s) => s.kind === 'bulk').map((s) => s.at));
    expect(lastAnswer).toBeLessThan(lastBulk / 2 + 1000);
  });

  it('starts afresh on the new grid when the account’s quota changes (a slot index of the old grid means nothing there)', async () => {
    const clock = virtualClock();
    clock.now = 1_800_000_000_000;
    let rate = 14;
    const pace = new TransactionalPace(async () => quotaAt(rate), new InMemoryRateLedger(), () => clock.now, clock.sleep);
    await pace.take();
    rate = 50; // out of the sandbox: 409 ms slots become 486 ms slots
    const before = clock.now;
    await pace.take();
    expect(clock.now - before).toBeLessThan(1000);
  });

  it('refuses, instead of waiting past the function timeout, when the rate is taken for 15 s ahead', async () => {
    const clock = virtualClock();
    const full = { reserve: async () => undefined, claim: async () => 1000 };
    const pace = new TransactionalPace(async () => quotaAt(20), full, () => clock.now, clock.sleep);
    await expect(pace.take()).rejects.toThrow('No room to send a mail in the next 15 s');
  });
});

describe('the cached quota', () => {
  it('reads GetAccount again once the answer is old, and never keeps a failed read', async () => {
    let now = 0;
    let reads = 0;
    let fail = false;
    const quota = cachedSendQuota(
      async () => {
        reads++;
        if (fail) throw new Error('throttled');
        return quotaAt(20);
      },
      10_000,
      () => now,
    );
    await quota();
    await quota();
    expect(reads).toBe(1);
    now = 10_000;
    fail = true;
    await expect(quota()).rejects.toThrow('throttled');
    fail = false;
    await expect(quota()).resolves.toEqual(quotaAt(20));
    expect(reads).toBe(3);
  });
});
