import * as z from 'zod';

/**
 * Faults the local runtime can inject, switched on by configuration (`POST /_local/faults`, or the
 * CONVENE_FAULTS environment variable as JSON) and never present in the CDK stack. Shares are
 * probabilities in [0, 1].
 */
export const faultSettings = z
  .object({
    /** Deliver every EventBridge event (and stream batch) twice. */
    duplicateDeliveries: z.boolean().default(false),
    /** Delay deliveries by a random 0–N ms, so events arrive out of order. */
    reorderMs: z.number().int().min(0).max(10_000).default(0),
    /** Share of asynchronous invocations (event and stream targets) that throw before the handler runs. */
    crashBefore: z.number().min(0).max(1).default(0),
    /** Share that throw after the handler returned, i.e. after its side effects. */
    crashAfter: z.number().min(0).max(1).default(0),
    sesThrottleShare: z.number().min(0).max(1).default(0),
    sesServerErrorShare: z.number().min(0).max(1).default(0),
    sesFailEntryShare: z.number().min(0).max(1).default(0),
    /** Share of DynamoDB calls answered with ProvisionedThroughputExceededException. */
    dynamoThrottleShare: z.number().min(0).max(1).default(0),
    /** Share of DynamoDB writes refused as if they had met an in-flight transaction (TransactionConflict). */
    dynamoConflictShare: z.number().min(0).max(1).default(0),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettings>;

export class InjectedFault extends Error {
  constructor(where: string) {
    super(`Injected fault: ${where}`);
    this.name = 'InjectedFault';
  }
}

export type FaultCounters = { crashesBefore: number; crashesAfter: number; duplicateDeliveries: number; dynamoThrottles: number };
