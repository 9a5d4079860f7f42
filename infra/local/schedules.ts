import { randomUUID } from 'node:crypto';
import awsCron from 'aws-cron-parser';
import { schedules, type ScheduleSpec } from '../topology.ts';
import type { LocalLambdas } from './lambdas.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './settings.ts';

/**
 * The event every schedule delivers, in AWS and here: EventBridge Scheduler is configured (in CDK) to send
 * this shape with `time` set to the scheduled time, so handlers take "now" from `event.time`.
 */
export function scheduledEvent(spec: ScheduleSpec, time: Date) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.scheduler',
    account: LOCAL_ACCOUNT,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [`arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT}:schedule/default/convene-${spec.name}`],
    detail: {},
  };
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant` (ms; negative west of Greenwich), from Intl. */
function zoneOffsetMs(timeZone: string, instant: number): number {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClockFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instants at which `timeZone`'s wall clock reads `wall` (a wall-clock time encoded as if it were UTC),
 * earliest first: none in the hour skipped when clocks go forward, two in the hour repeated when they go back.
 */
function instantsOfWallTime(timeZone: string, wall: number): number[] {
  // The offsets a day either side cover both sides of any transition near `wall`; keep those that round-trip.
  const candidates = new Set([wall - zoneOffsetMs(timeZone, wall - DAY_MS), wall - zoneOffsetMs(timeZone, wall + DAY_MS)]);
  return [...candidates].filter((instant) => instant + zoneOffsetMs(timeZone, instant) === wall).sort((a, b) => a - b);
}

/**
 * The cron part of an EventBridge Scheduler expression, `cron(minutes hours day-of-month month day-of-week
 * year)` with `?`, `L`, `W`, `#`, names and days of week 1-7 from Sunday, parsed by aws-cron-parser.
 */
export function parseAwsCron(expression: string): ReturnType<typeof awsCron.parse> {
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = cron?.[1]!.trim().split(/\s+/) ?? [];
  if (fields.length !== 6) throw new Error(`Unsupported schedule expression ${expression}: expected cron(min hour day-of-month month day-of-week year)`);
  if ((fields[2] === '?') === (fields[4] === '?')) throw new Error(`Invalid schedule expression ${expression}: exactly one of day-of-month and day-of-week must be ?`);
  return awsCron.parse(fields.join(' '));
}

/**
 * Next fire time of an EventBridge Scheduler expression strictly after `after`, or undefined when a cron
 * expression's year field allows no later fire. rate() counts from the epoch, as a schedule created at a
 * round time would. cron() is evaluated on the wall clock of `spec.timeZone` (UTC by default):
 * aws-cron-parser evaluates in UTC only, so the wall-clock time is encoded as UTC for it and each match is
 * turned back into an instant with Intl's offsets. As EventBridge Scheduler does across daylight-saving
 * changes, a match in the hour skipped in spring does not fire, and one in the hour repeated in autumn
 * fires once, at its first occurrence.
 */
export function nextFire(spec: ScheduleSpec, after: Date): Date | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(spec.expression);
  if (rate) {
    const unit = rate[2]!.startsWith('minute') ? MINUTE_MS : rate[2]!.startsWith('hour') ? 3_600_000 : DAY_MS;
    const period = Number(rate[1]) * unit;
    return new Date(Math.floor(after.getTime() / period) * period + period);
  }
  const parsed = parseAwsCron(spec.expression);
  const timeZone = spec.timeZone ?? 'UTC';
  const afterMs = after.getTime();
  let wall = new Date(afterMs + zoneOffsetMs(timeZone, afterMs));
  // A few steps at most, except in a repeated hour, where every match already passed on its first run.
  for (let step = 0; step < 10_000; step++) {
    const match = awsCron.next(parsed, wall);
    if (!match) return undefined;
    const [first] = instantsOfWallTime(timeZone, match.getTime());
    if (first !== undefined && first > afterMs) return new Date(first);
    wall = match;
  }
  throw new Error(`No fire time found for ${spec.expression} after ${after.toISOString()}`);
}

/** Runs schedules on the real clock (unless disabled) and on demand at a given time. */
export class LocalSchedules {
  /** The pending timer of each schedule on the clock. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly lambdas: LocalLambdas) {}

  names(): string[] {
    return schedules.map((s) => s.name);
  }

  async run(name: string, time: Date): Promise<unknown> {
    const spec = schedules.find((s) => s.name === name);
    if (!spec) throw new Error(`Unknown schedule ${name}`);
    return this.lambdas.invoke(spec.target, scheduledEvent(spec, time), 'schedule');
  }

  startClock(): void {
    for (const spec of schedules) {
      const arm = () => {
        const at = nextFire(spec, new Date());
        if (!at) return; // a cron year field that allows no later fire
        const wait = at.getTime() - Date.now();
        // setTimeout fires at once past 2^31-1 ms (24.8 days): a far fire time is waited for in steps.
        const timer = wait > MAX_TIMER_MS
          ? setTimeout(arm, MAX_TIMER_MS)
          : setTimeout(() => {
              void this.run(spec.name, at).catch((error: unknown) => console.error(`[schedule] ${spec.name} failed:`, error instanceof Error ? error.message : error));
              arm();
            }, Math.max(0, wait));
        timer.unref();
        this.timers.set(spec.name, timer);
      };
      arm();
    }
  }

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
