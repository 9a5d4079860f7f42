/**
 * `npm run bench`: Convene's benchmarks against a local runtime of its own (ports 3300/8305/8306/8300/
 * 8301/4310), one progress line per step, results in test/bench/results/latest.json and a table at the
 * end. `--only intake,fan-out` runs a subset (names: cold-start, intake, end-to-end, fan-out, digest, opening-minute, fan-out-at-rate).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { coldStartBenchmark } from './cold-start.ts';
import { digestCostBenchmark } from './digest-cost.ts';
import { endToEndBenchmark } from './end-to-end.ts';
import { fanOutBenchmark } from './fan-out.ts';
import { intakeBenchmark } from './intake.ts';
import { openingMinuteBenchmark } from './opening-minute.ts';
import { fanOutAtRateBenchmark } from './fan-out-at-rate.ts';
import { resultsDir } from './support/config.ts';
import { figureValue, type BenchmarkResult, type BenchReport, type Figure, type MachineInfo } from './support/result.ts';
import { startBenchRuntime, type BenchRuntime } from './support/runtime.ts';
import type { Summary } from './support/stats.ts';

const steps = ['cold-start', 'intake', 'end-to-end', 'fan-out', 'digest', 'opening-minute', 'fan-out-at-rate'] as const;
type Step = (typeof steps)[number];

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const selected = new Set<Step>(values.only ? (values.only.split(',').map((s) => s.trim()) as Step[]) : steps);
for (const step of selected) if (!steps.includes(step)) throw new Error(`unknown benchmark ${step}; choose from ${steps.join(', ')}`);

/** The sizes the issue names; 3 runs each (7 for cold starts, which are short). */
const RUNS = 3;
const settings = {
  coldStart: { runs: 7 },
  intake: { runs: RUNS, count: 2000, warmUp: 300, concurrency: 16, sessions: 20 },
  endToEnd: { runs: RUNS, perSecond: 20, seconds: 10, pollMs: 100 },
  fanOut: { runs: RUNS, registrants: 10_000 },
  digest: { runs: RUNS, small: 1_000, large: 50_000 },
  /** One run: 2,000 in 60 s at 20 mails/s takes 100 s at least. */
  openingMinute: { registrations: 2000, seconds: 60, sesRate: 20, pollMs: 250, warmUp: 300 },
  /** One run: 10,000 at 70 % of 200 mails/s takes 71 s at least; 10 registrations a second meanwhile. */
  fanOutAtRate: { registrants: 10_000, sesRate: 200, transactionalPerSecond: 10, pollMs: 500 },
};

const started = performance.now();
const clock = () => {
  const s = Math.round((performance.now() - started) / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};
const progress = (line: string) => process.stdout.write(`[${clock()}] ${line}\n`);

function machine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

const results: BenchmarkResult[] = [];
let failed = false;
/** Runs one benchmark; a failure is recorded (and the run goes on) instead of losing every other figure. */
async function step(name: Step, work: () => Promise<BenchmarkResult | BenchmarkResult[]>): Promise<void> {
  if (!selected.has(name)) return;
  progress(`${name}: start`);
  const t = performance.now();
  try {
    const out = await work();
    results.push(...(Array.isArray(out) ? out : [out]));
    progress(`${name}: done in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  } catch (error) {
    failed = true;
    const message = error instanceof Error ? error.message : String(error);
    progress(`${name}: FAILED: ${message}`);
    results.push({ name, figures: {}, goal: { metric: 'error', op: '>=', value: 0 }, met: false, analysis: `The benchmark failed: ${message}` });
  }
}

let runtime: BenchRuntime | undefined;
let stopping = false;
const stopRuntime = async () => {
  if (stopping || !runtime) return;
  stopping = true;
  progress('stopping the local runtime');
  await runtime.stop();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping`);
    void stopRuntime().finally(() => process.exit(130));
  });
}

const info = machine();
progress(`machine: ${info.cpus} × ${info.cpuModel}, ${info.memoryGb} GB, Node ${info.node}, ${info.platform}`);

// Cold start needs no runtime; it runs first, while the machine is quietest.
await step('cold-start', () => coldStartBenchmark({ ...settings.coldStart, progress }));

const needsRuntime = [...selected].some((s) => s !== 'cold-start');
let intakePostP50: number | undefined;
let intakeSessions: string[] | undefined;
try {
  if (needsRuntime) {
    progress('starting the local runtime (in memory, manual schedules)');
    runtime = await startBenchRuntime();
    progress(`local runtime healthy in ${(runtime.startedInMs / 1000).toFixed(1)} s (log: ${path.relative(process.cwd(), runtime.log)})`);
  }
  const pids = runtime?.pids ?? { runtime: undefined, dynamodb: undefined };
  await step('intake', async () => {
    const outcome = await intakeBenchmark({ ...settings.intake, pids, progress });
    intakePostP50 = outcome.postP50Ms;
    intakeSessions = outcome.sessionIds;
    return outcome.result;
  });
  await step('end-to-end', () => endToEndBenchmark(intakeSessions, { ...settings.endToEnd, ...(intakePostP50 !== undefined ? { intakePostP50Ms: intakePostP50 } : {}), progress }));
  await step('fan-out', () => fanOutBenchmark({ ...settings.fanOut, progress }));
  await step('digest', () => digestCostBenchmark({ ...settings.digest, progress }));
  await step('opening-minute', () => openingMinuteBenchmark({ ...settings.openingMinute, progress }));
  await step('fan-out-at-rate', () => fanOutAtRateBenchmark({ ...settings.fanOutAtRate, progress }));
} catch (error) {
  failed = true;
  progress(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await stopRuntime();
}

// Report in the order of the brief, whatever order they ran in.
const order = ['intake', 'end-to-end', 'fan-out', 'fan-out at the account rate', 'digest', 'opening minute', 'cold start'];
results.sort((a, b) => order.findIndex((o) => a.name.startsWith(o)) - order.findIndex((o) => b.name.startsWith(o)));
const totalSeconds = Math.round((performance.now() - started) / 1000);
const report: BenchReport = { machine: info, totalSeconds, benchmarks: results };
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, 'latest.json');
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

process.stdout.write(`\n${table(results)}\n`);
process.stdout.write(`\nTotal ${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s; results in ${path.relative(process.cwd(), file)}\n`);
process.exit(failed ? 1 : 0);

/** The figures each benchmark shows in the table (all of them are in the JSON). */
function headline(result: BenchmarkResult): string[] {
  const show: Record<string, string[]> = {
    intake: ['conveneRegistrationsPerSecond', 'directRegistrationsPerSecond', 'ratio', 'convenePostP50Ms'],
    'end-to-end': ['p50Ms', 'p95Ms', 'postP50Ms', 'p50ToPostP50Ratio', 'p50ToIntakePostP50Ratio'],
    'fan-out: paced calls per recipient': ['sendBulkEmailCalls', 'callsPerRecipient', 'readUnitsPerRecipient'],
    'fan-out: wall time vs bare loop': ['conveneWallSeconds', 'bareLoopWallSeconds', 'wallTimeRatio'],
    'fan-out: peak RSS': ['peakRssMb'],
    'digest cost': ['readUnitsSmall', 'readUnitsLarge', 'ratio'],
    'opening minute: first mails at the account rate': ['firstMailsDelivered', 'duplicates', 'deadLetters', 'peakRatePerSecond', 'throttledRecipients', 'secondsToLastFirstMail', 'ratio'],
    'fan-out at the account rate': ['noticesDelivered', 'lost', 'duplicates', 'confirmationsDelivered', 'peakRatePerSecond', 'secondsToLastNotice', 'ratio'],
    'cold start: bundle size': ['worstSizeFunction', 'worstSizeRatio', 'medianSizeRatio'],
    'cold start: load time': ['worstLoadFunction', 'worstLoadRatio', 'medianLoadRatio'],
  };
  return (show[result.name] ?? []).filter((key) => key in result.figures).map((key) => `${key} ${format(result.figures[key]!)}`);
}

function format(value: Figure): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return String(value);
  const summary = value as Summary;
  if (typeof summary.median === 'number') return `${summary.median} (${summary.min}–${summary.max})`;
  return JSON.stringify(value);
}

/** A plain-text table: one block per benchmark, figures as median (min–max). */
function table(rows: readonly BenchmarkResult[]): string {
  const lines = rows.map((r) => {
    const goal = r.goal.metric === 'error' ? 'error' : `${r.goal.metric} ${r.goal.op} ${r.goal.value}`;
    const actual = r.goal.metric === 'error' ? '' : ` (is ${figureValue(r.figures, r.goal.metric)})`;
    const met = r.goal.metric === 'error' ? 'ERROR' : r.goal.reportOnly ? `report only: ${r.met ? 'within' : 'over'}` : r.met ? 'met' : 'MISSED';
    return { name: r.name, goal: `${goal}${actual}`, met, figures: headline(r) };
  });
  const width = { name: Math.max(9, ...lines.map((l) => l.name.length)), goal: Math.max(4, ...lines.map((l) => l.goal.length)), met: Math.max(3, ...lines.map((l) => l.met.length)) };
  const row = (a: string, b: string, c: string, d: string) => `${a.padEnd(width.name)} | ${b.padEnd(width.goal)} | ${c.padEnd(width.met)} | ${d}`;
  const out = [row('benchmark', 'goal', 'met', 'figures: median (min–max)'), `${'-'.repeat(width.name)}-+-${'-'.repeat(width.goal)}-+-${'-'.repeat(width.met)}-+-${'-'.repeat(30)}`];
  for (const l of lines) {
    const [first = '', ...rest] = l.figures;
    out.push(row(l.name, l.goal, l.met, first));
    for (const more of rest) out.push(row('', '', '', more));
  }
  return out.join('\n');
}
