/**
 * The Convene side of the fan-out benchmark, in a fresh process: sets the handler environment as
 * infra/local/runtime.ts does, builds the adapters as functions/programme/fan-out-adapters.ts does but on a
 * metered document client (every read's consumed capacity is added up), and runs sendDueNotices as of
 * the given time. Each port is wrapped with a timer, so the result says where the wall time went.
 * Arg: the ISO time to run as (after the notice's quiet period). Prints its result line.
 */
import { handlerEnv } from './support/config.ts';
import { emitResult } from './support/child.ts';

Object.assign(process.env, handlerEnv());
const now = new Date(process.argv[2] ?? Date.now() + 11 * 60_000);

// Imported after the environment is set: the SES client and config are created at module load.
const { loadConfig } = await import('../../functions/core/config.ts');
const { fanOutConfig } = await import('../../functions/programme/fan-out-adapters.ts');
const { meteredDocumentClient } = await import('../../functions/core/store/capacity-meter.ts');
const { DynamoProgrammeStore } = await import('../../functions/programme/dynamo-programme-store.ts');
const { DynamoLifecycleStore } = await import('../../functions/waitlist/dynamo-lifecycle-store.ts');
const { DynamoParticipants } = await import('../../functions/core/store/dynamo-participants.ts');
const { DynamoFanOutProgress } = await import('../../functions/delivery/dynamo-fanout-progress.ts');
const { SesPersonalMailer, personalSesClient } = await import('../../functions/core/mail/ses-personal-mailer.ts');
const { tokenSigner } = await import('../../functions/identity/token-signer.ts');
const { systemClock } = await import('../../functions/core/clock.ts');
const { sendDueNotices } = await import('../../functions/programme/send-notices.ts');

/**
 * Busy time per port method (calls may overlap: fanOut can write the progress of one call while sending
 * the next), and every call's interval, from which the wall time is attributed without double counting.
 */
const phases: Record<string, number> = {};
const intervals: Array<{ label: string; start: number; end: number }> = [];
let current = 'setup';

/**
 * Memory sampled every 20 ms: the peak of each kind (heap, external, array buffers) and the port call
 * that was running at the RSS peak, so a memory goal that is missed can be traced to its phase.
 */
const memory = { rssMb: 0, heapUsedMb: 0, heapTotalMb: 0, externalMb: 0, arrayBuffersMb: 0, rssPeakDuring: 'setup' };
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  if (mb(m.rss) > memory.rssMb) Object.assign(memory, { rssMb: mb(m.rss), rssPeakDuring: current });
  memory.heapUsedMb = Math.max(memory.heapUsedMb, mb(m.heapUsed));
  memory.heapTotalMb = Math.max(memory.heapTotalMb, mb(m.heapTotal));
  memory.externalMb = Math.max(memory.externalMb, mb(m.external));
  memory.arrayBuffersMb = Math.max(memory.arrayBuffersMb, mb(m.arrayBuffers));
}, 20);
function timed<T extends object>(label: string, target: T, methods: ReadonlyArray<keyof T & string>): T {
  for (const method of methods) {
    const original = target[method] as unknown as (...args: unknown[]) => Promise<unknown>;
    (target as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      const started = performance.now();
      current = `${label}.${method}`;
      try {
        return await original.apply(target, args);
      } finally {
        current = 'between ports';
        const ended = performance.now();
        phases[`${label}.${method}`] = (phases[`${label}.${method}`] ?? 0) + ended - started;
        intervals.push({ label: `${label}.${method}`, start: started, end: ended });
      }
    };
  }
  return target;
}

/** Times each page of a paged read as one port call. */
async function* timedPages<T>(label: string, source: AsyncIterator<T>): AsyncGenerator<T> {
  for (;;) {
    const started = performance.now();
    current = label;
    const step = await source.next();
    const ended = performance.now();
    current = 'between ports';
    phases[label] = (phases[label] ?? 0) + ended - started;
    intervals.push({ label, start: started, end: ended });
    if (step.done) return;
    yield step.value;
  }
}

const config = loadConfig(fanOutConfig);
const meter = meteredDocumentClient();
const lifecycle = new DynamoLifecycleStore(meter.client, config.TABLE_NAME);
const started = performance.now();
const tokens = await tokenSigner(config.TOKEN_SECRET_ARN);
const result = await sendDueNotices(
  {
    notices: timed('programme', new DynamoProgrammeStore(meter.client, config.TABLE_NAME), ['dueNotices', 'getSession', 'completeNotice']),
    registrations: { sessionRegistrationPages: (sessionId: string) => timedPages('lifecycle.sessionRegistrationPages', lifecycle.sessionRegistrationPages(sessionId)) },
    participants: timed('participants', new DynamoParticipants(meter.client, config.TABLE_NAME), ['getParticipants']),
    mailer: timed('ses', new SesPersonalMailer(personalSesClient, { address: config.MAIL_FROM, name: config.MAIL_FROM_NAME }, config.CONFIGURATION_SET), ['sendBulk']),
    progress: timed('progress', new DynamoFanOutProgress(meter.client, config.TABLE_NAME), ['markSent', 'reached']),
    clock: systemClock,
    tokens,
    context: { from: config.MAIL_FROM, fromName: config.MAIL_FROM_NAME, publicUrl: config.PUBLIC_URL, forumTimeZone: config.FORUM_TIME_ZONE },
    tokenTtlDays: config.TOKEN_TTL_DAYS,
  },
  now,
);
const wallMs = performance.now() - started;
clearInterval(sampler);

/**
 * Each moment of the wall time goes to one kind, by priority: a SendBulkEmail in flight; else only
 * bookkeeping writes (progress, mail log, closing the notice); else only reads; else no port call at all
 * (CPU: recipients, signed links, templates). The four add up to the wall time.
 */
const kindOf = (label: string) => (label === 'ses.sendBulk' ? 0 : /markSent|completeNotice/.test(label) ? 1 : 2);
const kinds = ['sendingMs', 'bookkeepingOnlyMs', 'readsOnlyMs', 'noPortCallMs'] as const;
const edges = intervals.flatMap((i) => [{ at: i.start, kind: kindOf(i.label), delta: 1 }, { at: i.end, kind: kindOf(i.label), delta: -1 }]).sort((a, b) => a.at - b.at || a.delta - b.delta);
const active = [0, 0, 0];
const attribution: Record<(typeof kinds)[number], number> = { sendingMs: 0, bookkeepingOnlyMs: 0, readsOnlyMs: 0, noPortCallMs: 0 };
let at = started;
for (const edge of [...edges, { at: started + wallMs, kind: 0, delta: 0 }]) {
  const span = Math.max(0, edge.at - at);
  const kind = active.findIndex((count) => count > 0);
  attribution[kinds[kind === -1 ? 3 : kind]!] += span;
  at = Math.max(at, edge.at);
  active[edge.kind]! += edge.delta;
}
emitResult({
  memory,
  wallMs,
  readUnits: meter.readUnits(),
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  ...result,
  phasesMs: Object.fromEntries(Object.entries(phases).map(([name, ms]) => [name, Math.round(ms)])),
  attributionMs: Object.fromEntries(Object.entries(attribution).map(([name, ms]) => [name, Math.round(ms)])),
});
