import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_TOKEN_SECRET, ports, repoRoot, resultsDir, urls } from './config.ts';
import { childPids } from './proc.ts';

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8');
  } catch {
    return '';
  }
}

export type BenchRuntime = {
  log: string;
  startedInMs: number;
  /** The runtime's Node process (HTTP API, handlers, consumers, SES emulator) and its DynamoDB Local. */
  pids: { runtime: number | undefined; dynamodb: number | undefined };
  stop(): Promise<void>;
};

/**
 * Starts the local runtime in its own process exactly as test/support/runtime-process.ts does (in memory,
 * no demo programme, schedules only on request), on the bench's ports, and waits for GET /health.
 * Its output goes to test/bench/results/runtime.log.
 */
export async function startBenchRuntime(): Promise<BenchRuntime> {
  mkdirSync(resultsDir, { recursive: true });
  const log = path.join(resultsDir, 'runtime.log');
  const out = createWriteStream(log);
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--memory', '--no-seed', '--manual-schedules'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      CONVENE_API_PORT: String(ports.api),
      CONVENE_SES_PORT: String(ports.ses),
      CONVENE_SES_EMULATOR_PORT: String(ports.sesEmulator),
      CONVENE_DYNAMODB_PORT: String(ports.dynamodb),
      CONVENE_DYNAMODB_FRONT_PORT: String(ports.dynamodbFront),
      CONVENE_AWS_PORT: String(ports.aws),
      // An account whose rate never binds: these benchmarks measure Convene's own cost against a bare
      // baseline, not SES's rate (paced at 70 % of 1,000/s, 10,000 recipients alone would take 14 s).
      CONVENE_SES_MAX_SEND_RATE: process.env.CONVENE_SES_MAX_SEND_RATE ?? '1000000',
      CONVENE_SES_MAX_24H_SEND: process.env.CONVENE_SES_MAX_24H_SEND ?? '100000000',
      CONVENE_TOKEN_SECRET: BENCH_TOKEN_SECRET,
      // The benchmarks measure a registration's path to its confirmation mail, as a forum that registers
      // a known list runs it; the confirm step is one more click, measured by the confirmation tests.
      ADDRESS_CONFIRMATION: process.env.ADDRESS_CONFIRMATION ?? 'off',
      CONVENE_DATA_DIR: path.join(repoRoot, '.local', 'bench'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`local runtime exited with ${child.exitCode}; see ${log}`);
    try {
      if ((await fetch(`${urls.api}/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`local runtime did not become healthy within 120 s; see ${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  // DynamoDB Local is the runtime's only Java child.
  const dynamodb = child.pid ? childPids(child.pid).find((pid) => /java/.test(commandOf(pid))) : undefined;
  return { log, startedInMs: Date.now() - started, pids: { runtime: child.pid, dynamodb }, stop };
}
