import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const root = path.resolve(import.meta.dirname, '..', '..');

/** Ports of the test runtime: away from the defaults so a developer's `npm start` can keep running. */
export const testPorts = {
  CONVENE_API_PORT: process.env.TEST_API_PORT ?? '3100',
  CONVENE_SES_PORT: process.env.TEST_SES_PORT ?? '8105',
  CONVENE_SES_EMULATOR_PORT: process.env.TEST_SES_EMULATOR_PORT ?? '8106',
  CONVENE_DYNAMODB_PORT: process.env.TEST_DYNAMODB_PORT ?? '8100',
  CONVENE_AWS_PORT: process.env.TEST_AWS_PORT ?? '4110',
};

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    inboxUrl: string;
    dynamodbUrl: string;
    runtimeLog: string;
  }
}

let child: ChildProcess | undefined;

/**
 * Starts the real local runtime (`infra/local/start.ts --memory`) in its own process for the integration
 * tests, waits for /health, and stops it (and its DynamoDB Local) afterwards. Its logs go to
 * test/artifacts/local-runtime.log, which the security tests grep.
 */
export async function setup(project: TestProject) {
  const artifacts = path.join(root, 'test', 'artifacts');
  mkdirSync(artifacts, { recursive: true });
  const runtimeLog = path.join(artifacts, 'local-runtime.log');
  const log = createWriteStream(runtimeLog);
  const started = Date.now();
  child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', '--memory', '--no-seed', '--manual-schedules'], {
    cwd: root,
    env: { ...process.env, ...testPorts, CONVENE_DATA_DIR: path.join(root, '.local', 'test') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const apiUrl = `http://127.0.0.1:${testPorts.CONVENE_API_PORT}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`local runtime exited with ${child.exitCode}; see ${runtimeLog}`);
    try {
      const response = await fetch(`${apiUrl}/health`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`local runtime did not become healthy; see ${runtimeLog}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.log(`[setup] local runtime healthy in ${((Date.now() - started) / 1000).toFixed(1)} s at ${apiUrl}`);
  project.provide('apiUrl', apiUrl);
  project.provide('inboxUrl', `http://127.0.0.1:${testPorts.CONVENE_SES_PORT}`);
  project.provide('dynamodbUrl', `http://127.0.0.1:${testPorts.CONVENE_DYNAMODB_PORT}`);
  project.provide('runtimeLog', runtimeLog);
}

export async function teardown() {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child!.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
