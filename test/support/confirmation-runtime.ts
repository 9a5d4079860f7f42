import type { TestProject } from 'vitest/node';
import { startRuntimeFor } from './runtime-process.ts';

/**
 * The confirmation tests' runtime: address confirmation as a forum gets it by default (`on`, places held
 * for CONFIRM_WITHIN_MINUTES, 60), on ports of its own.
 */
export async function setup(project: TestProject) {
  return startRuntimeFor(project, 'confirmation-runtime', { api: 3400, ses: 8405, sesEmulator: 8406, dynamodb: 8400, dynamodbFront: 8401, aws: 4410 });
}
