import { randomUUID } from 'node:crypto';
import type * as z from 'zod';
import type { EventContract } from '../../events/index.ts';
import { keys } from './store/keys.ts';

/** Outbox items live a week: long enough for any relay retry, short enough to keep the table lean. */
const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;

export type OutboxItem = {
  pk: string;
  sk: string;
  type: 'outbox';
  source: string;
  detailType: string;
  detail: string;
  createdAt: string;
  ttl: number;
};

/**
 * Builds the outbox item for one domain event. The detail is parsed with the contract's schema here, so a
 * malformed event fails the writer's transaction instead of reaching the bus.
 */
export function outboxItem<S extends z.ZodType>(
  contract: EventContract<S>,
  detail: Omit<z.input<S>, 'eventId' | 'occurredAt'>,
  now: Date,
  eventId: string = randomUUID(),
): OutboxItem {
  const parsed = contract.schema.parse({ ...detail, eventId, occurredAt: now.toISOString() });
  return {
    ...keys.outbox(eventId),
    type: 'outbox',
    source: contract.source,
    detailType: contract.detailType,
    detail: JSON.stringify(parsed),
    createdAt: now.toISOString(),
    ttl: Math.floor(now.getTime() / 1000) + OUTBOX_TTL_SECONDS,
  };
}
