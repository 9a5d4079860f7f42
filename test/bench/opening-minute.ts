import { urls } from './support/config.ts';
import { benchSession, clearMailStore, createSession, postRegistration, registrationBody, sesAccount, uniqueId, watchMail } from './support/http.ts';
import { result, type BenchmarkResult } from './support/result.ts';
import { round, sleep } from './support/stats.ts';

export type OpeningMinuteOptions = { registrations: number; seconds: number; sesRate: number; pollMs: number; progress: (line: string) => void };

/**
 * The opening minute of a forum's registration: `registrations` in `seconds`, at a steady rate, against an
 * SES account of `sesRate` mails a second (a new account's order). Every registrant's first mail (the
 * answer with the calendar invitation) must arrive exactly once and none may end in a dead-letter queue;
 * the goal is the time from the first registration to the last of those mails, as a ratio of the least
 * the account allows (registrations ÷ rate): ≤ 1.2.
 */
export async function openingMinuteBenchmark(options: OpeningMinuteOptions): Promise<BenchmarkResult> {
  const account = await sesAccount();
  await clearMailStore();
  const session = benchSession({ capacity: options.registrations * 2 });
  await createSession(session);
  await sesAccount({ maxSendRate: options.sesRate });
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
        failedRegistrations: failed,
        sesRatePerSecond: options.sesRate,
        firstMailsDelivered: firstMail.size,
        duplicates,
        deadLetters: dead.queues.length + dead.events.length + dead.streams.length,
        peakRatePerSecond: stats.peakRate,
        secondsToLastFirstMail: round(seconds, 1),
        leastPossibleSeconds: ideal,
        ratio: firstMail.size === addresses.size && failed === 0 && duplicates === 0 ? round(seconds / ideal) : Number.POSITIVE_INFINITY,
      },
      goal: { metric: 'ratio', op: '<=', value: 1.2 },
      notes: ['ratio is infinite when a registration failed, a first mail is missing or one arrived twice'],
      analysis: (f) =>
        `${f.firstMailsDelivered} of ${options.registrations} first mails arrived (duplicates ${f.duplicates}, dead letters ${f.deadLetters}); the last after ${f.secondsToLastFirstMail} s against the ${ideal} s the account allows at least. The mail consumers take what the account gives them, and SES's adaptive retry slows each invocation down after a throttle, so part of each second is spent backing off.`,
    });
  } finally {
    await watcher.stop().catch(() => undefined);
    await sesAccount({ maxSendRate: Number(account.maxSendRate ?? 1_000_000) });
  }
}
