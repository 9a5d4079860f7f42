import type { TestProject } from 'vitest/node';
import { startRuntimeFor } from './runtime-process.ts';

/**
 * The integration tests' runtime, away from the default ports so a developer's `npm start` can keep
 * running. Address confirmation is off here (a forum registering a known list): these tests follow a
 * registration past the point where its address is proved; the confirmation project
 * (test/confirmation/, its own runtime with the default `on`) tests that step itself.
 */
export async function setup(project: TestProject) {
  return startRuntimeFor(project, 'integration-runtime', { api: 3100, ses: 8105, sesEmulator: 8106, dynamodb: 8100, dynamodbFront: 8101, aws: 4110 }, [], { ADDRESS_CONFIRMATION: 'off' });
}
