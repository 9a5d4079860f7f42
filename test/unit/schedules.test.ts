import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LocalLambdas } from '../../infra/local/lambdas.ts';
import { LocalSchedules, nextFire, parseAwsCron } from '../../infra/local/schedules.ts';
import { schedules, type ScheduleSpec } from '../../infra/topology.ts';

const spec = (expression: string, timeZone?: string): ScheduleSpec => ({ name: 'test', expression, target: 'sendDigest', ...(timeZone ? { timeZone } : {}) });

/** The next `count` fire times after `after`, as ISO strings. */
function fires(schedule: ScheduleSpec, after: string, count: number): string[] {
  const out: string[] = [];
  let at: Date | undefined = new Date(after);
  while (out.length < count) {
    at = nextFire(schedule, at);
    if (!at) break;
    out.push(at.toISOString());
  }
  return out;
}

describe('local schedules evaluate EventBridge Scheduler expressions', () => {
  it('keeps cron(0 8 * * ? *) at 08:00 Europe/Zurich across the spring daylight-saving change', () => {
    // Clocks go forward on Sunday 29 March 2026: 08:00 is 07:00Z before, 06:00Z from that day on.
    expect(fires(spec('cron(0 8 * * ? *)', 'Europe/Zurich'), '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
      '2026-03-30T06:00:00.000Z',
    ]);
  });

  it('keeps cron(0 8 * * ? *) at 08:00 Europe/Zurich across the autumn daylight-saving change', () => {
    // Clocks go back on Sunday 25 October 2026.
    expect(fires(spec('cron(0 8 * * ? *)', 'Europe/Zurich'), '2026-10-23T12:00:00Z', 3)).toEqual([
      '2026-10-24T06:00:00.000Z',
      '2026-10-25T07:00:00.000Z',
      '2026-10-26T07:00:00.000Z',
    ]);
  });

  it("evaluates the topology's digest schedule in its time zone", () => {
    const digest = schedules.find((s) => s.name === 'digest')!;
    expect(digest.timeZone).toBe('Europe/Zurich');
    // 07:30 in Zurich (05:30Z in summer): the digest is due at 08:00 local the same day.
    expect(nextFire(digest, new Date('2026-07-01T05:30:00Z'))!.toISOString()).toBe('2026-07-01T06:00:00.000Z');
  });

  it('skips a time the spring change skips and fires once in the hour the autumn change repeats', () => {
    expect(fires(spec('cron(30 2 * * ? *)', 'Europe/Zurich'), '2026-03-28T12:00:00Z', 1)).toEqual(['2026-03-30T00:30:00.000Z']);
    expect(fires(spec('cron(30 2 * * ? *)', 'Europe/Zurich'), '2026-10-24T12:00:00Z', 2)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
  });

  it('fires cron(0 10 ? * 2#1 *) on the first Monday of each month', () => {
    expect(fires(spec('cron(0 10 ? * 2#1 *)'), '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-01-05T10:00:00.000Z',
      '2026-02-02T10:00:00.000Z',
      '2026-03-02T10:00:00.000Z',
      '2026-04-06T10:00:00.000Z',
    ]);
  });

  it('honours L and W in the day of month', () => {
    expect(fires(spec('cron(0 8 L * ? *)'), '2028-02-01T00:00:00Z', 2)).toEqual(['2028-02-29T08:00:00.000Z', '2028-03-31T08:00:00.000Z']);
    // 15 March 2026 is a Sunday: the nearest weekday is Monday the 16th.
    expect(fires(spec('cron(0 8 15W * ? *)'), '2026-03-01T00:00:00Z', 1)).toEqual(['2026-03-16T08:00:00.000Z']);
  });

  it('honours the year field: an excluded next year is skipped, and no year left means no fire', () => {
    expect(fires(spec('cron(0 8 1 1 ? 2026,2028)'), '2026-06-01T00:00:00Z', 2)).toEqual(['2028-01-01T08:00:00.000Z']);
    expect(nextFire(spec('cron(0 8 * * ? 2026)', 'Europe/Zurich'), new Date('2026-12-31T12:00:00Z'))).toBeUndefined();
  });

  it('keeps rate() expressions on round multiples of their period', () => {
    expect(fires(spec('rate(5 minutes)'), '2026-06-01T00:01:00Z', 2)).toEqual(['2026-06-01T00:05:00.000Z', '2026-06-01T00:10:00.000Z']);
  });

  it('refuses expressions EventBridge Scheduler refuses', () => {
    expect(() => parseAwsCron('cron(0 8 * * *)')).toThrow(/expected cron/);
    expect(() => parseAwsCron('cron(0 8 * * * *)')).toThrow(/exactly one of/);
    expect(() => nextFire(spec('every day'), new Date())).toThrow(/Unsupported schedule expression/);
  });

  describe('on the clock', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('invokes each target at its fire time with that time as the event time, re-arms, and stops', async () => {
      vi.useFakeTimers({ now: new Date('2026-07-01T05:59:30Z') });
      const calls: Array<{ target: string; time: string }> = [];
      const lambdas = { invoke: async (target: string, event: { time: string }) => void calls.push({ target, time: event.time }) } as unknown as LocalLambdas;
      const clock = new LocalSchedules(lambdas);
      clock.startClock();
      await vi.advanceTimersByTimeAsync(61_000);
      // 06:00Z is 08:00 in Zurich: the digest fires, and so do the every-minute notices.
      expect(calls.filter((c) => c.target === 'sendDigest')).toEqual([{ target: 'sendDigest', time: '2026-07-01T06:00:00Z' }]);
      expect(calls.filter((c) => c.target === 'sendNotices').map((c) => c.time)).toEqual(['2026-07-01T06:00:00Z']);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(calls.filter((c) => c.target === 'sendNotices').map((c) => c.time)).toEqual(['2026-07-01T06:00:00Z', '2026-07-01T06:01:00Z']);
      clock.stop();
      const before = calls.length;
      await vi.advanceTimersByTimeAsync(24 * 3_600_000);
      expect(calls.length).toBe(before);
    });
  });
});
