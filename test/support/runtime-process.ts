import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The manage-link secret of test runtimes, so tests can sign tokens (expired ones, say) themselves. */
export const TEST_TOKEN_SECRET = 'test-only-secret-0123456789abcdef0123456789';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    inboxUrl: string;
    dynamodbUrl: string;
    awsUrl: string;
    runtimeLog: string;
  }
}

/**
 * Starts the real local runtime (`infra/local/start.ts --memory`) in its own process for a test project,
 * waits for /health, provides its URLs to the tests, and returns the teardown that stops it (and its
 * DynamoDB Local). Its logs go to test/artifacts/<name>.log, which the security tests grep.
 */
export async function startRuntimeFor(
  project: TestProject,
  name: string,
  ports: { api: number; ses: number; sesEmulator: number; dynamodb: number; dynamodbFront: number; aws: number },
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<() => Promise<void>> {
  const artifacts = path.join(root, 'test', 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const runtimeLog = path.join(artifacts, `${name}.log`);
  // The runtime writes straight to the log file (stdout and stderr on one descriptor, in order): writes to
  // a file are synchronous in Node, so whatever the runtime logged before answering a request (or before
  // /_local/drain returned) is in the file, with no relay through this process left to flush.
  const log = openSync(runtimeLog, 'w');
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--memory', '--no-seed', '--manual-schedules', ...extraArgs], {
    cwd: root,
    env: {
      ...process.env,
      CONVENE_API_PORT: String(ports.api),
      CONVENE_SES_PORT: String(ports.ses),
      CONVENE_SES_EMULATOR_PORT: String(ports.sesEmulator),
      CONVENE_DYNAMODB_PORT: String(ports.dynamodb),
      CONVENE_DYNAMODB_FRONT_PORT: String(ports.dynamodbFront),
      CONVENE_AWS_PORT: String(ports.aws),
      // An account out of the sandbox with a raised rate: these runs test Convene's logic, not SES's
      // rate (the SES front enforces it all the same; its own tests and the pacing tests use low rates).
      CONVENE_SES_MAX_SEND_RATE: process.env.CONVENE_SES_MAX_SEND_RATE ?? '1000',
      CONVENE_SES_MAX_24H_SEND: process.env.CONVENE_SES_MAX_24H_SEND ?? '1000000',
      CONVENE_TOKEN_SECRET: TEST_TOKEN_SECRET,
      // Two organisers, so a test can opt one out of the digest without silencing the digest for the others.
      CONVENE_ORGANISERS: 'organisers@example.org,programme-office@example.org',
      CONVENE_DATA_DIR: path.join(root, '.local', name),
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log); // the child holds its own copy
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    // A runtime killed by a signal has no exit code, only a signal: either way it is not coming up.
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`local runtime exited (${child.signalCode ?? `code ${child.exitCode}`}) before it was healthy; see ${runtimeLog}`);
    try {
      if ((await fetch(`${apiUrl}/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`local runtime did not become healthy; see ${runtimeLog}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`[setup] ${name}: local runtime healthy in ${((Date.now() - started) / 1000).toFixed(1)} s at ${apiUrl}`);
  project.provide('apiUrl', apiUrl);
  project.provide('inboxUrl', `http://127.0.0.1:${ports.ses}`);
  project.provide('dynamodbUrl', `http://127.0.0.1:${ports.dynamodb}`);
  project.provide('awsUrl', `http://127.0.0.1:${ports.aws}`);
  project.provide('runtimeLog', runtimeLog);

  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
}
