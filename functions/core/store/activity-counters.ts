import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Activity is counted in hourly buckets (UTC), each split into small items (`counterGroup`). One item for
 * the whole hour grew with the programme (12.6 KB after 5,000 registrations: 13 write units per update,
 * about 1,079 a second on one key at 83 registrations a second, over DynamoDB's 1,000 per key). Now the
 * bounded counters (totals, outcomes, session kinds, stakeholder types, languages: some seventy names, under
 * 3 KB) share one `summary` item, and the many-valued dimensions (sessions, countries) are spread over 16
 * items each by a hash of the value, so a registration makes three small updates (summary, its session's
 * item, its country's item), of one to three write units. A digest reads an hour with one Query, whatever
 * the volume.
 */
export const statsBucket = (at: Date) => at.toISOString().slice(0, 13);
const statsPk = (bucket: string) => `STATS#${bucket}`;
const GROUP_PREFIX = 'GROUP#';
/** Items a many-valued dimension (sessions, countries) of one hour is spread over. */
const SPREAD = 16;
/** Dimensions with a handful of values (the model's enums): their counters live in the summary item. */
const BOUNDED_DIMENSIONS = new Set(['kind', 'stakeholder', 'language']);
export const SUMMARY_GROUP = 'summary';

/**
 * The item a counter lives in: `summary` for a counter without a value (`new|total`, `outcome|confirmed`)
 * or of a bounded dimension (`new|kind|workshop`); for a many-valued one (`new|session|<id>`,
 * `holds|expired|<sessionId>`) one of 16 items of its name's first two parts, by a hash of the value,
 * so that no item holds a whole programme's sessions or every country.
 */
export function counterGroup(name: string): string {
  const [prefix = '', dimension = '', value] = name.split('|');
  if (value === undefined || BOUNDED_DIMENSIONS.has(dimension)) return SUMMARY_GROUP;
  let hash = 0;
  for (const char of value) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `${prefix}|${dimension}#${hash % SPREAD}`;
}

export type Counters = Record<string, number>;

export class DynamoStats {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds to flat counters (`dimension|key|…`) of the bucket `at` falls in, one update per group; ADD creates them at 0. */
  async count(at: Date, counters: Counters): Promise<void> {
    const groups = new Map<string, Array<[string, number]>>();
    for (const [name, value] of Object.entries(counters)) {
      if (value === 0) continue;
      const group = counterGroup(name);
      groups.set(group, [...(groups.get(group) ?? []), [name, value]]);
    }
    const pk = statsPk(statsBucket(at));
    await Promise.all(
      [...groups].map(([group, entries]) => {
        const names: Record<string, string> = {};
        const values: Record<string, number> = {};
        entries.forEach(([name, value], index) => {
          names[`#c${index}`] = name;
          values[`:c${index}`] = value;
        });
        return this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk, sk: `${GROUP_PREFIX}${group}` },
            UpdateExpression: `ADD ${entries.map((_, index) => `#c${index} :c${index}`).join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      }),
    );
  }

  /** Sums every counter over the hourly buckets in [from, to): one Query per hour. */
  async sum(from: Date, to: Date): Promise<Counters> {
    const buckets: string[] = [];
    for (let at = new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000); at < to; at = new Date(at.getTime() + 3_600_000)) buckets.push(statsBucket(at));
    const totals: Counters = {};
    await Promise.all(
      buckets.map(async (bucket) => {
        let start: Record<string, unknown> | undefined;
        do {
          const out = await this.client.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :group)',
              ExpressionAttributeValues: { ':pk': statsPk(bucket), ':group': GROUP_PREFIX },
              ConsistentRead: true,
              ExclusiveStartKey: start,
            }),
          );
          for (const item of out.Items ?? []) {
            for (const [name, value] of Object.entries(item)) {
              if (name.includes('|') && typeof value === 'number') totals[name] = (totals[name] ?? 0) + value;
            }
          }
          start = out.LastEvaluatedKey;
        } while (start);
      }),
    );
    return totals;
  }
}
