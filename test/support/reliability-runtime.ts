import type { TestProject } from 'vitest/node';
import { startRuntimeFor } from './runtime-process.ts';

/**
 * The reliability suite's runtime: its own ports and the fault-injecting fronts in place (--faults).
 * Address confirmation is off (see local-runtime.ts); the confirmation project tests it. Time is
 * compressed in one place: the consumer queues' visibility timeout is 2 s instead of each queue's own
 * (180 s), since the suite crashes hundreds of invocations and each would otherwise wait three minutes
 * for its retry; it is still counted from the receive, as SQS counts it.
 */
export async function setup(project: TestProject) {
  return startRuntimeFor(project, 'reliability-runtime', { api: 3200, ses: 8205, sesEmulator: 8206, dynamodb: 8200, dynamodbFront: 8201, aws: 4210 }, ['--faults'], { ADDRESS_CONFIRMATION: 'off', CONVENE_QUEUE_VISIBILITY_MS: '2000' });
}
