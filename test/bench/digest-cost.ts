import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { registrationItem } from '../../functions/core/store/items.ts';
import { meteredDocumentClient } from '../../functions/core/store/capacity-meter.ts';
import { DynamoLifecycleStore } from '../../functions/waitlist/dynamo-lifecycle-store.ts';
import { FORUM_TIME_ZONE, TABLE_NAME, handlerEnv } from './support/config.ts';
import { addSeatsTaken, batchWriteAll, benchDocumentClient } from './support/dynamo.ts';
import { benchSession, createSession, drain, runSchedule } from './support/http.ts';
import { result, type BenchmarkResult } from './support/result.ts';
import { summarize } from './support/stats.ts';

export type DigestOptions = { runs: number; small: number; large: number; progress: (line: string) => void };

const digestAnswer = z.object({ result: z.object({ sent: z.boolean(), day: z.string(), readUnits: z.number() }) });

/** 08:00 in the forum's zone, `days` days from today: when the digest schedule fires in AWS. */
export function digestTime(days: number): Date {
  const day = new Date(Date.now() + days * 86_400_000);
  const local = new Intl.DateTimeFormat('en-CA', { timeZone: FORUM_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(day);
  // Offset of the zone at that instant ("GMT+1" → +60 min), to turn local 08:00 into UTC.
  const name = new Intl.DateTimeFormat('en', { timeZone: FORUM_TIME_ZONE, timeZoneName: 'longOffset' }).formatToParts(day).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  return new Date(Date.parse(`${local}T08:00:00Z`) - minutes * 60_000);
}

/**
 * The control: what reading the session's registrations would cost, through the same metered client the
 * digest uses. It proves the meter sees registration reads, so an unchanged digest figure means something.
 */
async function registrationQueryUnits(sessionId: string): Promise<number> {
  Object.assign(process.env, handlerEnv());
  const meter = meteredDocumentClient();
  await new DynamoLifecycleStore(meter.client, TABLE_NAME).listSessionRegistrations(sessionId);
  return meter.readUnits();
}

async function seedRegistrations(sessionId: string, count: number): Promise<void> {
  const client = benchDocumentClient();
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const items = Array.from({ length: count }, () => registrationItem({ participantId: randomUUID(), sessionId, status: 'confirmed', registeredAt: at, updatedAt: at }));
  await batchWriteAll(client, items);
  await addSeatsTaken(client, sessionId, count);
}

/**
 * Digest cost: the read capacity one digest consumes (its handler meters every read) with `small` and then
 * `large` registration items in one session. A warm-up digest comes first, so every measured digest reads
 * the same window (the 24 hourly counter buckets since the previous one); each fires on its own forum-local
 * day, since a digest goes out once per day.
 */
export async function digestCostBenchmark(options: DigestOptions): Promise<BenchmarkResult> {
  const session = benchSession({ daysAhead: 10, capacity: 100_000 });
  await createSession(session);
  let day = 1;
  const fire = async () => {
    const answer = digestAnswer.parse(await runSchedule('digest', digestTime(day++)));
    if (!answer.result.sent) throw new Error(`digest for ${answer.result.day} was not sent`);
    return answer.result.readUnits;
  };

  let started = performance.now();
  await seedRegistrations(session.sessionId, options.small);
  await drain();
  options.progress(`digest: seeded ${options.small} registrations in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  await fire();
  const small: number[] = [];
  for (let run = 0; run < options.runs; run++) small.push(await fire());
  const controlSmall = await registrationQueryUnits(session.sessionId);
  options.progress(`digest at ${options.small} registrations: ${small.join(', ')} read units (reading the registrations would take ${controlSmall})`);

  started = performance.now();
  await seedRegistrations(session.sessionId, options.large - options.small);
  await drain();
  options.progress(`digest: seeded ${options.large - options.small} more registrations in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const large: number[] = [];
  for (let run = 0; run < options.runs; run++) large.push(await fire());
  const controlLarge = await registrationQueryUnits(session.sessionId);
  options.progress(`digest at ${options.large} registrations: ${large.join(', ')} read units (reading the registrations would take ${controlLarge})`);

  const figures = {
    registrationsSmall: options.small,
    registrationsLarge: options.large,
    readUnitsSmall: summarize(small, 1),
    readUnitsLarge: summarize(large, 1),
    ratio: summarize(large.map((units, i) => units / small[i]!)),
    // Sensitivity check: one metered Query of the session's registrations, at each size.
    controlRegistrationQueryUnits: { small: controlSmall, large: controlLarge, ratio: Math.round((controlLarge / controlSmall) * 100) / 100 },
  };
  return result({
    name: 'digest cost',
    figures,
    goal: { metric: 'ratio', op: '<=', value: 1.1 },
    notes: [
      `Registration items only (no participants), seeded with BatchWriteItem into one session of capacity 100,000: ${options.small}, then ${options.large - options.small} more.`,
      'controlRegistrationQueryUnits: the read units of one metered Query of the session\'s registrations (what a digest that read registrations would pay), to show the meter sees such reads on DynamoDB Local.',
      `Digests fired through POST /_local/schedules/digest/run at 08:00 ${FORUM_TIME_ZONE} on consecutive future days after one unmeasured warm-up; readUnits is the handler's metered read capacity. Run i at ${options.large} is paired with run i at ${options.small}.`,
    ],
    analysis: (f) => `A digest read ${JSON.stringify(f.readUnitsLarge)} units at ${options.large} registrations against ${JSON.stringify(f.readUnitsSmall)} at ${options.small}: some read grows with registrations (the digest should read counters and session items only).`,
  });
}
