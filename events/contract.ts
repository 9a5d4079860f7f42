import * as z from 'zod';

/**
 * Every domain event's `detail` starts with these fields. `eventId` is the idempotency key of every
 * consumer: a re-published event keeps it, while the EventBridge envelope `id` changes.
 */
export const domainEventBase = z.object({
  eventId: z.uuid(),
  occurredAt: z.iso.datetime({ offset: true }),
});

export type EventPattern = Record<string, unknown>;

/** One event: where it comes from, what it is called, what its `detail` holds. */
export type EventContract<Detail extends z.ZodType = z.ZodType> = {
  readonly source: string;
  readonly detailType: string;
  readonly description: string;
  readonly schema: Detail;
  /** The EventBridge pattern that selects this event, optionally narrowed on `detail` fields. */
  pattern(detail?: Record<string, unknown>): EventPattern;
};

export type DetailOf<C> = C extends EventContract<infer S> ? z.infer<S> : never;

/**
 * Declares an event contract. The CDK rule, the local bus, the outbox writer and the consumer all import
 * the returned object, so the source and detail-type strings exist only here.
 */
export function defineEvent<const Shape extends z.ZodRawShape>(def: {
  source: string;
  detailType: string;
  description: string;
  detail: Shape;
}): EventContract<z.ZodObject<typeof domainEventBase.shape & Shape, z.core.$strict>> {
  const schema = domainEventBase.extend(def.detail).strict();
  return {
    source: def.source,
    detailType: def.detailType,
    description: def.description,
    schema,
    pattern(detail) {
      return {
        source: [def.source],
        'detail-type': [def.detailType],
        ...(detail ? { detail } : {}),
      };
    },
  };
}
