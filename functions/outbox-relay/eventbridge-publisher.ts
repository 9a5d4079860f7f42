import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { EventPublisher, PublishEntry } from './relay-outbox.ts';

export const eventBridgeClient = new EventBridgeClient({});

/** PutEvents on the convene bus; per-entry failures are reported, not thrown. */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(entries: PublishEntry[]) {
    const out = await this.client.send(
      new PutEventsCommand({
        Entries: entries.map((entry) => ({
          EventBusName: this.busName,
          Source: entry.source,
          DetailType: entry.detailType,
          Detail: entry.detail,
        })),
      }),
    );
    return (out.Entries ?? []).map((entry) =>
      entry.EventId ? { ok: true } : { ok: false, error: `${entry.ErrorCode ?? 'Unknown'}: ${entry.ErrorMessage ?? ''}` },
    );
  }
}
