import { BatchGetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Activity is counted in hourly buckets (UTC), so a digest reads one item per hour, whatever the volume. */
export const statsBucket = (at: Date) => at.toISOString().slice(0, 13);
const statsKey = (bucket: string) => ({ pk: `STATS#${bucket}`, sk: 'STATS' });

export type Counters = Record<string, number>;

export class DynamoStats {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds to flat counters (`dimension|key|…`) of the bucket `at` falls in; ADD creates them at 0. */
  async count(at: Date, counters: Counters): Promise<void> {
    const entries = Object.entries(counters).filter(([, value]) => value !== 0);
    if (!entries.length) return;
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    entries.forEach(([name, value], index) => {
      names[`#c${index}`] = name;
      values[`:c${index}`] = value;
    });
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: statsKey(statsBucket(at)),
        UpdateExpression: `ADD ${entries.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** Sums every counter over the hourly buckets in [from, to). */
  async sum(from: Date, to: Date): Promise<Counters> {
    const buckets: string[] = [];
    for (let at = new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000); at < to; at = new Date(at.getTime() + 3_600_000)) buckets.push(statsBucket(at));
    const totals: Counters = {};
    for (let start = 0; start < buckets.length; start += 100) {
      const keys = buckets.slice(start, start + 100).map(statsKey);
      const out = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[this.tableName] ?? []) {
        for (const [name, value] of Object.entries(item)) {
          if (name.includes('|') && typeof value === 'number') totals[name] = (totals[name] ?? 0) + value;
        }
      }
    }
    return totals;
  }
}
