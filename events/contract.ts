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

/** An event as its consumer receives it: which type it is, its contract-checked `detail`, the envelope time. */
export type Consumed<DetailType extends string, Detail> = { readonly detailType: DetailType; readonly detail: Detail; readonly time: string };

/** One event: where it comes from, what it is called, what its `detail` holds. */
export type EventContract<Detail extends z.ZodType = z.ZodType, DetailType extends string = string> = {
  readonly source: string;
  readonly detailType: DetailType;
  readonly description: string;
  readonly schema: Detail;
  /** The EventBridge pattern that selects this event, optionally narrowed on `detail` fields. */
  pattern(detail?: Record<string, unknown>): EventPattern;
  /** Checks an envelope's `detail` with the schema; throws (so the event ends in a DLQ) when it does not fit. */
  consume(envelope: { detail: unknown; time: string }): Consumed<DetailType, z.infer<Detail>>;
};

export type DetailOf<C> = C extends EventContract<infer S, string> ? z.infer<S> : never;

/**
 * What a consumer of these contracts receives: a union discriminated by `detailType`, so a `switch` on it
 * narrows `detail` to the matching contract's inferred type without a cast.
 */
export type ConsumedEventOf<C> = C extends EventContract<infer S, infer DetailType> ? Consumed<DetailType, z.infer<S>> : never;

/** Builds a contract's `consume` from its detail-type and schema. */
export function consumerOf<S extends z.ZodType, DetailType extends string>(detailType: DetailType, schema: S) {
  return (envelope: { detail: unknown; time: string }): Consumed<DetailType, z.infer<S>> => ({ detailType, detail: schema.parse(envelope.detail), time: envelope.time });
}

/**
 * Declares an event contract. The CDK rule, the local bus, the outbox writer and the consumer all import
 * the returned object, so the source and detail-type strings exist only here.
 */
export function defineEvent<const DetailType extends string, const Shape extends z.ZodRawShape>(def: {
  source: string;
  detailType: DetailType;
  description: string;
  detail: Shape;
}) {
  const schema = domainEventBase.extend(def.detail).strict();
  const contract: EventContract<typeof schema, DetailType> = {
    source: def.source,
    detailType: def.detailType,
    description: def.description,
    schema,
    consume: consumerOf(def.detailType, schema),
    pattern(detail) {
      return {
        source: [def.source],
        'detail-type': [def.detailType],
        ...(detail ? { detail } : {}),
      };
    },
  };
  return contract;
}
