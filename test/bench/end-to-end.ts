import { benchSession, clearMailStore, createSession, drain, postRegistration, registrationBody, uniqueId, watchMail } from './support/http.ts';
import { result, type BenchmarkResult } from './support/result.ts';
import { percentile, round, sleep, summarize } from './support/stats.ts';

export type EndToEndOptions = { runs: number; perSecond: number; seconds: number; pollMs: number; intakePostP50Ms?: number; progress: (line: string) => void };

type RunMeasure = { latencies: number[]; postLatencies: number[]; missing: number; failed: number };

/**
 * One run: POST /registrations at a steady rate (each started on its own schedule, not after the previous
 * answer), while the SES emulator's store is polled with `since` for the confirmation mails. Latency is
 * from the start of the POST to the poll that first saw the mail, both timed in this process.
 */
async function oneRun(sessionIds: string[], options: EndToEndOptions): Promise<RunMeasure> {
  const count = options.perSecond * options.seconds;
  const prefix = uniqueId('e2e');
  const sentAt = new Map<string, number>();
  const arrivedAt = new Map<string, number>();
  const postLatencies: number[] = [];
  let failed = 0;
  const watcher = watchMail((mail) => {
    for (const to of mail.destination.to) if (sentAt.has(to) && !arrivedAt.has(to)) arrivedAt.set(to, performance.now());
  }, options.pollMs);

  const started = performance.now();
  const posts: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const due = started + (i * 1000) / options.perSecond;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const email = `${prefix}-${i}@example.org`;
    sentAt.set(email, performance.now());
    posts.push(
      postRegistration(registrationBody([sessionIds[i % sessionIds.length]!], email)).then((answer) => {
        postLatencies.push(answer.ms);
        if (answer.status !== 201) failed++;
      }),
    );
  }
  await Promise.all(posts);
  const deadline = performance.now() + 60_000;
  while (arrivedAt.size < sentAt.size - failed && performance.now() < deadline) await sleep(options.pollMs);
  await watcher.stop();
  const latencies = [...arrivedAt.entries()].map(([to, at]) => at - sentAt.get(to)!);
  return { latencies, postLatencies, missing: sentAt.size - failed - arrivedAt.size, failed };
}

/**
 * End-to-end latency: from POST /registrations to the confirmation mail in the SES store, at a steady
 * rate, p50 and p95, and the ratio of its p50 to the POST's own p50 in the same run.
 */
export async function endToEndBenchmark(sessionIds: string[] | undefined, options: EndToEndOptions): Promise<BenchmarkResult> {
  let ids = sessionIds;
  if (!ids?.length) {
    const session = benchSession({ daysAhead: 7 });
    await createSession(session);
    ids = [session.sessionId];
  }
  const runs: RunMeasure[] = [];
  for (let run = 0; run < options.runs; run++) {
    await drain();
    await clearMailStore();
    const measure = await oneRun(ids, options);
    runs.push(measure);
    options.progress(
      `end-to-end run ${run + 1}/${options.runs}: p50 ${percentile(measure.latencies, 50).toFixed(0)} ms, p95 ${percentile(measure.latencies, 95).toFixed(0)} ms, POST p50 ${percentile(measure.postLatencies, 50).toFixed(0)} ms, missing ${measure.missing}`,
    );
  }
  await drain();
  await clearMailStore();

  const figures = {
    registrationsPerRun: options.perSecond * options.seconds,
    ratePerSecond: options.perSecond,
    pollIntervalMs: options.pollMs,
    p50Ms: summarize(runs.map((r) => percentile(r.latencies, 50)), 0),
    p95Ms: summarize(runs.map((r) => percentile(r.latencies, 95)), 0),
    maxMs: summarize(runs.map((r) => Math.max(...r.latencies)), 0),
    postP50Ms: summarize(runs.map((r) => percentile(r.postLatencies, 50)), 1),
    p50ToPostP50Ratio: summarize(runs.map((r) => percentile(r.latencies, 50) / percentile(r.postLatencies, 50)), 2),
    ...(options.intakePostP50Ms !== undefined
      ? { intakePostP50Ms: options.intakePostP50Ms, p50ToIntakePostP50Ratio: round(percentile(runs.map((r) => percentile(r.latencies, 50)), 50) / options.intakePostP50Ms, 2) }
      : {}),
    missingMails: runs.reduce((n, r) => n + r.missing, 0),
    failedPosts: runs.reduce((n, r) => n + r.failed, 0),
  };
  return result({
    name: 'end-to-end',
    figures,
    goal: { metric: 'p95Ms', op: '<=', value: 5000, reportOnly: true },
    notes: [
      `${figures.registrationsPerRun} registrations per run at ${options.perSecond}/s, ${options.runs} runs, each from a drained pipeline and an empty mail store.`,
      `Arrival is the first poll of GET /store?since= (every ${options.pollMs} ms, window re-read from one second back) that lists the recipient, so latencies carry up to one poll interval plus the poll's own time.`,
      'p50ToPostP50Ratio compares with the POST p50 of the same run (20/s, lightly loaded); p50ToIntakePostP50Ratio with the intake benchmark\'s POST p50 (concurrency 16, saturated).',
      'Report only: the goal is informative.',
    ],
    analysis: () => `p95 ${figures.p95Ms.median} ms exceeds 5 s: the mail follows the stream poller (50 ms idle poll), the outbox relay, the bus and send-registration-mail, all in the runtime's one process; see the intake analysis for that process's load.`,
  });
}
