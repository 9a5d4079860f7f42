import type { TestProject } from 'vitest/node';
import { startRuntimeFor } from './runtime-process.ts';

/** The reliability suite's runtime: its own ports and the fault-injecting fronts in place (--faults). */
export async function setup(project: TestProject) {
  return startRuntimeFor(project, 'reliability-runtime', { api: 3200, ses: 8205, sesEmulator: 8206, dynamodb: 8200, dynamodbFront: 8201, aws: 4210 }, ['--faults']);
}
