import { urls } from './support/config.ts';
import { benchSession, clearMailStore, createSession, postRegistration, registrationBody, sesAccount, uniqueId, watchMail } from './support/http.ts';
import { result, type BenchmarkResult } from './support/result.ts';
import { round, sleep } from './support/stats.ts';

export type OpeningMinuteOptions = { registrations: number; seconds: number; sesRate: number; pollMs: number; warmUp: number; progress: (line: string) => void };

/**
 * The opening minute of a forum's registration: `registrations` in `seconds`, at a steady rate, against an
 * SES account of `sesRate` mails a second (a new account's order). Every registrant's first mail (the
 * answer with the calendar invitation) must arrive exactly once and none may end in a dead-letter queue;
 * the goal is the time from the first registration to the last of those mails, as a ratio of the least
 * the account allows (registrations ÷ rate): ≤ 1.2. A warm-up of `warmUp` registrations on another
 * session, whose mail is awaited before the clock starts, keeps a just-started runtime's JIT (Node's and
 * DynamoDB Local's JVM) out of the figure: AWS's services have no such first minute.
 */
export async function openingMinuteBenchmark(options: OpeningMinuteOptions): Promise<BenchmarkResult> {
  const account = await sesAccount();
  await clearMailStore();
  const session = benchSession({ capacity: options.registrations * 2 });
  await createSession(session);
  await sesAccount({ maxSendRate: options.sesRate });
  await warmUp(options);
  const throttledBefore = ((await (await fetch(`${urls.ses}/_front/stats`)).json()) as { throttled: number }).throttled;
  const prefix = uniqueId('opening');
  const addresses = new Set<string>();
  const firstMail = new Map<string, number>();
  const mailsTo = new Map<string, Set<string>>();
  let failed = 0;
  const watcher = watchMail((mail) => {
    for (const to of mail.destination.to) {
      if (!addresses.has(to)) continue;
      if (!firstMail.has(to)) firstMail.set(to, performance.now());
      mailsTo.set(to, (mailsTo.get(to) ?? new Set()).add(mail.messageId));
    }
  }, options.pollMs);
  try {
    const started = performance.now();
    const posts: Array<Promise<void>> = [];
    for (let i = 0; i < options.registrations; i++) {
      const due = started + (i * options.seconds * 1000) / options.registrations;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const email = `${prefix}-${i}@example.org`;
      addresses.add(email);
      posts.push(postRegistration(registrationBody([session.sessionId], email)).then((answer) => void (answer.status === 201 || failed++)));
    }
    await Promise.all(posts);
    options.progress(`opening minute: ${options.registrations} registrations posted in ${((performance.now() - started) / 1000).toFixed(1)} s (${failed} failed); waiting for their mail at ${options.sesRate}/s`);
    const ideal = options.registrations / options.sesRate;
    const deadline = performance.now() + ideal * 3000 + 120_000;
    while (firstMail.size < addresses.size - failed && performance.now() < deadline) await sleep(options.pollMs);
    await sleep(2000); // a duplicate would arrive after its original
    await watcher.stop();
    const lastMail = Math.max(...firstMail.values());
    const seconds = (lastMail - started) / 1000;
    const dead = (await (await fetch(`${urls.api}/_local/dlq`)).json()) as { queues: unknown[]; events: unknown[]; streams: unknown[] };
    const stats = (await (await fetch(`${urls.ses}/_front/stats`)).json()) as { peakRate: number; throttled: number };
    const duplicates = [...mailsTo.values()].filter((ids) => ids.size > 1).length;
    options.progress(`opening minute: first mails ${firstMail.size}/${addresses.size}, last after ${seconds.toFixed(1)} s (least possible ${ideal} s), duplicates ${duplicates}, dead letters ${dead.queues.length + dead.events.length + dead.streams.length}, peak ${stats.peakRate}/s`);
    return result({
      name: 'opening minute: first mails at the account rate',
      figures: {
        registrations: options.registrations,
        warmUpRegistrations: options.warmUp,
        failedRegistrations: failed,
        sesRatePerSecond: options.sesRate,
        firstMailsDelivered: firstMail.size,
        duplicates,
        deadLetters: dead.queues.length + dead.events.length + dead.streams.length,
        peakRatePerSecond: stats.peakRate,
        throttledRecipients: stats.throttled - throttledBefore,
        secondsToLastFirstMail: round(seconds, 1),
        leastPossibleSeconds: ideal,
        ratio: firstMail.size === addresses.size && failed === 0 && duplicates === 0 ? round(seconds / ideal) : Number.POSITIVE_INFINITY,
      },
      goal: { metric: 'ratio', op: '<=', value: 1.2 },
      notes: ['ratio is infinite when a registration failed, a first mail is missing or one arrived twice'],
      analysis: (f) =>
        `${f.firstMailsDelivered} of ${options.registrations} first mails arrived (duplicates ${f.duplicates}, dead letters ${f.deadLetters}); the last after ${f.secondsToLastFirstMail} s against the ${ideal} s the account allows at least. SES refused ${f.throttledRecipients} for the rate. The mail consumers pace themselves to 90 % of the account's rate (18/s at 20/s: ${round(options.registrations / (options.sesRate * 0.9), 1)} s at least), sharing the rate ledger with bulk mail; while the intake runs, the two cores it shares with DynamoDB Local keep them below that pace.`,
    });
  } finally {
    await watcher.stop().catch(() => undefined);
    await sesAccount({ maxSendRate: Number(account.maxSendRate ?? 1_000_000) });
  }
}

/** Registers `options.warmUp` people on a session of their own at the opening's pace and waits for their mail. */
async function warmUp(options: OpeningMinuteOptions): Promise<void> {
  if (options.warmUp === 0) return;
  const session = benchSession({ capacity: options.warmUp * 2 });
  await createSession(session);
  const prefix = uniqueId('warm-up');
  const mailed = new Set<string>();
  const watcher = watchMail((mail) => mail.destination.to.filter((to) => to.startsWith(prefix)).forEach((to) => mailed.add(to)), options.pollMs);
  try {
    const posts: Array<Promise<unknown>> = [];
    for (let i = 0; i < options.warmUp; i++) {
      posts.push(postRegistration(registrationBody([session.sessionId], `${prefix}-${i}@example.org`)));
      await sleep((options.seconds * 1000) / options.registrations);
    }
    await Promise.all(posts);
    const deadline = performance.now() + (options.warmUp / options.sesRate) * 3000 + 60_000;
    while (mailed.size < options.warmUp && performance.now() < deadline) await sleep(options.pollMs);
    options.progress(`opening minute: warm-up of ${options.warmUp} registrations, ${mailed.size} mailed`);
  } finally {
    await watcher.stop();
  }
  await clearMailStore();
}
