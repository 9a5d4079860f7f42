import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrencyConflict } from '../errors.ts';
import { participant as participantSchema, registration as registrationSchema, type Participant, type Registration } from '../model.ts';
import { gsi1, keys } from './keys.ts';

/** DynamoDB TTL attribute (epoch seconds) for personal data, when an expiry is known. */
export function ttlOf(expiresAt: Date | undefined): { ttl?: number } {
  return expiresAt ? { ttl: Math.floor(expiresAt.getTime() / 1000) } : {};
}

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** BatchGetItem calls kept in flight at once: enough to hide the round trip, few enough not to throttle. */
const BATCH_GET_CONCURRENCY = 2;

/** Reads many items by key, 100 per call, following UnprocessedKeys; strongly consistent. */
export async function batchGet(client: DynamoDBDocumentClient, tableName: string, itemKeys: Array<Record<string, string>>) {
  const items: Record<string, unknown>[] = [];
  const chunks: Array<Array<Record<string, string>>> = [];
  for (let start = 0; start < itemKeys.length; start += 100) chunks.push(itemKeys.slice(start, start + 100));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      let pending: Array<Record<string, string>> | undefined = chunks[next++];
      for (let round = 0; pending && pending.length > 0; round++) {
        const out = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
        items.push(...(out.Responses?.[tableName] ?? []));
        pending = out.UnprocessedKeys?.[tableName]?.Keys as Array<Record<string, string>> | undefined;
        if (pending?.length) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCH_GET_CONCURRENCY, chunks.length) }, worker));
  return items;
}

/** Reads a stored registration item into the domain shape; a malformed item is an error, not a guess. */
export function registrationFromItem(item: Record<string, unknown>): Registration {
  return registrationSchema.parse(item);
}

/** Reads a stored participant profile (key attributes dropped); a malformed item is an error. */
export function participantFromItem(item: Record<string, unknown>): Participant {
  return participantSchema.parse(item);
}

/** The sparse index (gsi3) partition of held places, sorted by hold expiry: the hold sweep reads it. */
export const HOLDS_PK = 'HOLDS';

/** Registration item attributes, including the sparse index entry while waitlisted (gsi2) or held (gsi3). */
export function registrationItem(registration: Registration) {
  return {
    ...keys.registration(registration.sessionId, registration.participantId),
    type: 'registration',
    ...registration,
    gsi1pk: gsi1.participantRegistrations(registration.participantId),
    gsi1sk: `REG#${registration.sessionId}`,
    ...(registration.status === 'waitlisted' && registration.waitlistPosition
      ? { gsi2pk: `WAITLIST#${registration.sessionId}`, gsi2sk: String(registration.waitlistPosition).padStart(10, '0') }
      : {}),
    ...(registration.status === 'held' && registration.holdExpiresAt
      ? { gsi3pk: HOLDS_PK, gsi3sk: `${registration.holdExpiresAt}#${registration.sessionId}#${registration.participantId}` }
      : {}),
  };
}

/**
 * Runs a transaction and maps a cancellation to the typed error of the first item whose condition
 * failed; a TransactionConflict (another transaction touched an item) becomes ConcurrencyConflict.
 */
export async function transactWrite(
  client: DynamoDBDocumentClient,
  items: Array<{ item: TransactItem; onConditionFailed: () => Error }>,
): Promise<void> {
  try {
    await client.send(new TransactWriteCommand({ TransactItems: items.map((entry) => entry.item) }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (failed >= 0) throw items[failed]!.onConditionFailed();
      throw new ConcurrencyConflict('Transaction cancelled', { cause: error });
    }
    if (error instanceof Error && error.name === 'TransactionConflictException') {
      throw new ConcurrencyConflict('Transaction conflict', { cause: error });
    }
    throw error;
  }
}
