import { randomUUID } from 'node:crypto';
import { CronExpressionParser } from 'cron-parser';
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

/** Next fire time of an EventBridge Scheduler expression after `after`. */
export function nextFire(spec: ScheduleSpec, after: Date): Date {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(spec.expression);
  if (rate) {
    const unit = rate[2]!.startsWith('minute') ? 60_000 : rate[2]!.startsWith('hour') ? 3_600_000 : 86_400_000;
    const period = Number(rate[1]) * unit;
    return new Date(Math.floor(after.getTime() / period) * period + period);
  }
  const cron = /^cron\((.+)\)$/.exec(spec.expression);
  if (!cron) throw new Error(`Unsupported schedule expression ${spec.expression}`);
  // EventBridge: minute hour day-of-month month day-of-week year, with '?' and days of week 1-7 from Sunday.
  const [minute, hour, dom, month, dow] = cron[1]!.trim().split(/\s+/);
  const weekday = dow!.replace(/\d/g, (d) => String(Number(d) - 1)).replace('?', '*');
  const expression = `${minute} ${hour} ${dom!.replace('?', '*')} ${month} ${weekday}`;
  return CronExpressionParser.parse(expression, { currentDate: after, tz: spec.timeZone ?? 'UTC' }).next().toDate();
}

/** Runs schedules on the real clock (unless disabled) and on demand at a given time. */
export class LocalSchedules {
  private timers: NodeJS.Timeout[] = [];

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
        const timer = setTimeout(() => {
          void this.run(spec.name, at).catch((error: unknown) => console.error(`[schedule] ${spec.name} failed:`, error instanceof Error ? error.message : error));
          arm();
        }, Math.max(0, at.getTime() - Date.now()));
        timer.unref();
        this.timers.push(timer);
      };
      arm();
    }
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}
