import * as z from 'zod';

/** An outbox item as it arrives in a stream record's NewImage (after unmarshalling). */
export const storedOutboxItem = z.object({
  pk: z.string().startsWith('OUTBOX#'),
  source: z.string().min(1),
  detailType: z.string().min(1),
  detail: z.string().min(2),
});
export type StoredOutboxItem = z.infer<typeof storedOutboxItem>;

export type PublishEntry = { source: string; detailType: string; detail: string };

/** The bus port: publishes up to ten entries, returns for each whether it was accepted. */
export interface EventPublisher {
  publish(entries: PublishEntry[]): Promise<Array<{ ok: boolean; error?: string }>>;
}

/**
 * Publishes outbox records in stream order, ten per PutEvents call, exactly as stored. Returns the
 * sequence number of the first record that failed, so the stream retries from there (records before it
 * are not sent again; records after it are, and consumers are idempotent on the domain event id).
 */
export async function relayOutbox(
  publisher: EventPublisher,
  records: Array<{ sequenceNumber: string; item: StoredOutboxItem }>,
): Promise<{ published: number; firstFailure?: string }> {
  let published = 0;
  for (let start = 0; start < records.length; start += 10) {
    const chunk = records.slice(start, start + 10);
    const results = await publisher.publish(
      chunk.map(({ item }) => ({ source: item.source, detailType: item.detailType, detail: item.detail })),
    );
    const failed = results.findIndex((result) => !result.ok);
    if (failed >= 0) return { published: published + failed, firstFailure: chunk[failed]!.sequenceNumber };
    published += chunk.length;
  }
  return { published };
}
