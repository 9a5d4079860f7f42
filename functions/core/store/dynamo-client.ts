import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InitializeHandlerOptions, InitializeMiddleware, MetadataBearer } from '@smithy/types';

/** Attempts of a single-item write that met an in-flight transaction, and the first backoff. */
const CONFLICT_ATTEMPTS = 8;
const CONFLICT_BASE_MS = 10;

/**
 * DynamoDB refuses a PutItem, UpdateItem or DeleteItem on an item that an in-flight transaction is writing
 * (TransactionConflictException) and wrote nothing; the SDK's retry strategy does not retry it. The same
 * request is retried here, with full-jitter exponential backoff, so a lost race is never a 5xx. (A
 * transaction that meets another is cancelled as a whole; the stores map that to ConcurrencyConflict and
 * the domain re-plans from fresh reads.)
 */
export const retryTransactionConflicts: InitializeMiddleware<object, MetadataBearer> = (next) => async (args) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await next(args);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TransactionConflictException') || attempt >= CONFLICT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_BASE_MS * 2 ** attempt));
    }
  }
};
const conflictRetryOptions: InitializeHandlerOptions = { step: 'initialize', name: 'retryTransactionConflicts' };

/**
 * One client per cold start. The endpoint comes from the SDK's standard AWS_ENDPOINT_URL_DYNAMODB in the
 * local runtime, so there is no "if local" branch here.
 */
export const dynamoClient = new DynamoDBClient({});
dynamoClient.middlewareStack.add(retryTransactionConflicts, conflictRetryOptions);
export const documentClient = DynamoDBDocumentClient.from(dynamoClient, {
  marshallOptions: { removeUndefinedValues: true },
});
