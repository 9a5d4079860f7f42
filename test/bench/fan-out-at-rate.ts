import { BULK_SHARE } from '../../functions/delivery/send-pace.ts';
import { seedRegistrants } from './fan-out.ts';
import { urls } from './support/config.ts';
import { benchSession, clearMailStore, createSession, postRegistration, registrationBody, rescheduleSession, runSchedule, sesAccount, uniqueId, watchMail } from './support/http.ts';
import { result, type BenchmarkResult } from './support/result.ts';
import { round, sleep } from './support/stats.ts';

export type FanOutAtRateOptions = { registrants: number; sesRate: number; transactionalPerSecond: number; pollMs: number; progress: (line: string) => void };

/**
 * A notice to `registrants` through the real `notices` schedule while registrations keep arriving, against
 * an SES account of `sesRate` mails a second: the notice's fan-out reads the account's quota and paces
 * itself at the bulk share (70 %), the confirmations take the rest. Goal: the time from the run's start
 * to the last notice mail ÷ (registrants ÷ the bulk share of the rate) ≤ 1.15, with no recipient lost or
 * mailed twice.
 */
export async function fanOutAtRateBenchmark(options: FanOutAtRateOptions): Promise<BenchmarkResult> {
  const account = await sesAccount();
  await clearMailStore();
  const session = benchSession({ capacity: options.registrants * 2, daysAhead: 20 });
  const side = benchSession({ capacity: 100_000, daysAhead: 21 });
  await createSession(session);
  await createSession(side);
  const seeded = await seedRegistrants(session.sessionId, options.registrants);
  const recipients = new Set(seeded.map((p) => p.email));
  options.progress(`fan-out at rate: seeded ${options.registrants} registrants`);
  await rescheduleSession(session.sessionId, new Date(Date.parse(session.startsAt) + 3_600_000).toISOString(), new Date(Date.parse(session.endsAt) + 3_600_000).toISOString());
  await sesAccount({ maxSendRate: options.sesRate });

  const noticesTo = new Map<string, Set<string>>();
  let lastNotice = 0;
  const confirmationsTo = new Map<string, number>();
  const watcher = watchMail((mail) => {
    for (const to of mail.destination.to) {
      if (recipients.has(to)) {
        const ids = noticesTo.get(to) ?? new Set();
        if (!ids.has(mail.messageId)) lastNotice = Math.max(lastNotice, performance.now());
        noticesTo.set(to, ids.add(mail.messageId));
      } else confirmationsTo.set(to, (confirmationsTo.get(to) ?? 0) + 1);
    }
  }, options.pollMs);

  // Transactional mail at the same time: registrations at a steady rate until the notice is out.
  const prefix = uniqueId('rate');
  let flowing = true;
  let posted = 0;
  let refused = 0;
  const flow = (async () => {
    const began = performance.now();
    const posts: Array<Promise<void>> = [];
    while (flowing) {
      const due = began + (posted * 1000) / options.transactionalPerSecond;
      if (due > performance.now()) await sleep(due - performance.now());
      posts.push(postRegistration(registrationBody([side.sessionId], `${prefix}-${posted}@example.org`)).then((r) => void (r.status === 201 || refused++)));
      posted++;
    }
    await Promise.all(posts);
  })();

  try {
    const started = performance.now();
    const runs: Array<Record<string, unknown>> = [];
    const noticeTime = new Date(Date.now() + 11 * 60_000);
    // A run that ends with recipients the account refused for now leaves them for the next run (every minute in AWS).
    for (let run = 0; run < 5 && noticesTo.size < recipients.size; run++) {
      runs.push(await runSchedule('notices', new Date(noticeTime.getTime() + run * 60_000), { drain: false }));
      await sleep(3 * options.pollMs);
    }
    flowing = false;
    await flow;
    await sleep(3000); // the last confirmations, and any duplicate, arrive after their originals
    await watcher.stop();
    const seconds = (lastNotice - started) / 1000;
    const ideal = options.registrants / (options.sesRate * BULK_SHARE);
    const lost = recipients.size - noticesTo.size;
    const duplicates = [...noticesTo.values()].filter((ids) => ids.size > 1).length;
    const confirmations = [...confirmationsTo.keys()].filter((to) => to.startsWith(prefix)).length;
    const dead = (await (await fetch(`${urls.api}/_local/dlq`)).json()) as { queues: unknown[]; events: unknown[]; streams: unknown[] };
    const stats = (await (await fetch(`${urls.ses}/_front/stats`)).json()) as { peakRate: number; throttled: number };
    options.progress(
      `fan-out at rate: ${noticesTo.size}/${recipients.size} notices, last after ${seconds.toFixed(1)} s (least at ${BULK_SHARE * 100} % of ${options.sesRate}/s: ${ideal.toFixed(1)} s), ${runs.length} run(s); confirmations ${confirmations}/${posted - refused}; duplicates ${duplicates}; peak ${stats.peakRate}/s`,
    );
    return result({
      name: 'fan-out at the account rate',
      figures: {
        recipients: recipients.size,
        sesRatePerSecond: options.sesRate,
        bulkShare: BULK_SHARE,
        noticesDelivered: noticesTo.size,
        lost,
        duplicates,
        noticeRuns: runs.length,
        transactionalPosted: posted,
        transactionalRefused: refused,
        confirmationsDelivered: confirmations,
        deadLetters: dead.queues.length + dead.events.length + dead.streams.length,
        peakRatePerSecond: stats.peakRate,
        throttled: stats.throttled,
        secondsToLastNotice: round(seconds, 1),
        leastPossibleSeconds: round(ideal, 1),
        ratio: lost === 0 && duplicates === 0 ? round(seconds / ideal) : Number.POSITIVE_INFINITY,
      },
      goal: { metric: 'ratio', op: '<=', value: 1.15 },
      notes: [
        `one run (about ${Math.round(ideal)} s of sending); ${options.transactionalPerSecond} registrations a second to another session meanwhile, each with its confirmation mail`,
        'ratio is infinite when a recipient was lost or mailed twice',
      ],
      analysis: (f) =>
        `${f.noticesDelivered} of ${f.recipients} notices (lost ${f.lost}, duplicates ${f.duplicates}) in ${f.noticeRuns} run(s), the last after ${f.secondsToLastNotice} s against ${f.leastPossibleSeconds} s at the bulk share; ${f.confirmationsDelivered} confirmations meanwhile; SES refused ${f.throttled} sends for rate, peak ${f.peakRatePerSecond}/s.`,
    });
  } finally {
    flowing = false;
    await flow.catch(() => undefined);
    await watcher.stop().catch(() => undefined);
    await sesAccount({ maxSendRate: Number(account.maxSendRate ?? 1_000_000) });
  }
}
