import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { storedRegistration as storedRegistrationSchema, type Session } from '../core/model.ts';
import { NoSeatFree, RegistrationChanged, type LifecycleStore, type StoredRegistration, type Transition } from './lifecycle-store.ts';
import { transactWrite } from '../core/store/items.ts';
import { reserveWaitlistPosition } from './dynamo-waitlist-position.ts';
import { gsi1, keys } from '../core/store/keys.ts';
import { dueItems, queryAll, queryPages, type QueryInput } from '../core/store/query.ts';
import { sessionFromItem } from '../core/store/session-item.ts';

const OFFERS_PK = 'OFFERS';

/** A registration item with its offer expiry, parsed (never cast) into the domain shape. */
function storedRegistration(item: Record<string, unknown>): StoredRegistration {
  return storedRegistrationSchema.parse(item);
}

export class DynamoLifecycleStore implements LifecycleStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSession(sessionId: string): Promise<Session | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.session(sessionId), ConsistentRead: true }));
    return out.Item ? sessionFromItem(out.Item) : undefined;
  }

  async getRegistration(sessionId: string, participantId: string): Promise<StoredRegistration | undefined> {
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.registration(sessionId, participantId), ConsistentRead: true }));
    return out.Item ? storedRegistration(out.Item) : undefined;
  }

  async listParticipantRegistrations(participantId: string): Promise<StoredRegistration[]> {
    const items = await this.queryAll({
      IndexName: gsi1.name,
      KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :reg)',
      ExpressionAttributeValues: { ':pk': gsi1.participantRegistrations(participantId), ':reg': 'REG#' },
    });
    // The index is eventually consistent: re-read each registration strongly before showing or changing it.
    const fresh = await Promise.all(items.map((item) => this.getRegistration(String(item.sessionId), participantId)));
    return fresh.filter((r): r is StoredRegistration => r !== undefined);
  }

  /** Every registration of a session (any status), in participant-id order. */
  async listSessionRegistrations(sessionId: string): Promise<StoredRegistration[]> {
    const all: StoredRegistration[] = [];
    for await (const page of this.sessionRegistrationPages(sessionId)) all.push(...page);
    return all;
  }

  /**
   * A session's registrations page by page (any status, participant-id order), so a fan-out to 10,000
   * can start mailing after the first page instead of after the last.
   */
  async *sessionRegistrationPages(sessionId: string, pageSize = 1000): AsyncGenerator<StoredRegistration[]> {
    const pages = queryPages(this.client, this.tableName, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :reg)',
      ExpressionAttributeValues: { ':pk': keys.session(sessionId).pk, ':reg': 'REG#' },
      ConsistentRead: true,
      Limit: pageSize,
    });
    for await (const page of pages) yield page.map(storedRegistration);
  }

  async waitlistHead(sessionId: string, limit: number): Promise<StoredRegistration[]> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': `WAITLIST#${sessionId}` },
        Limit: limit,
      }),
    );
    return (out.Items ?? []).map(storedRegistration);
  }

  /** Open offers per session (the digest shows them); reads only the offers index. */
  async openOfferCounts(): Promise<Map<string, number>> {
    const items = await this.queryAll({ IndexName: 'gsi3', KeyConditionExpression: 'gsi3pk = :pk', ExpressionAttributeValues: { ':pk': OFFERS_PK } });
    const counts = new Map<string, number>();
    for (const item of items) counts.set(String(item.sessionId), (counts.get(String(item.sessionId)) ?? 0) + 1);
    return counts;
  }

  async dueOffers(now: Date, limit: number): Promise<StoredRegistration[]> {
    return (await dueItems(this.client, this.tableName, { pk: OFFERS_PK, now, limit })).map(storedRegistration);
  }


  reserveWaitlistPosition(sessionId: string): Promise<number> {
    return reserveWaitlistPosition(this.client, this.tableName, sessionId);
  }

  async apply(transition: Transition): Promise<void> {
    const { registration, to, counters, now } = transition;
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':from': registration.status, ':to': to.status, ':now': now.toISOString() };
    const sets = ['#status = :to', 'updatedAt = :now'];
    const removes: string[] = [];
    if (to.status === 'waitlisted' && to.waitlistPosition) {
      sets.push('waitlistPosition = :position', 'gsi2pk = :g2pk', 'gsi2sk = :g2sk');
      Object.assign(values, { ':position': to.waitlistPosition, ':g2pk': `WAITLIST#${registration.sessionId}`, ':g2sk': String(to.waitlistPosition).padStart(10, '0') });
    } else removes.push('gsi2pk', 'gsi2sk');
    if (to.status === 'offered' && to.offerExpiresAt) {
      sets.push('offerExpiresAt = :expires', 'gsi3pk = :g3pk', 'gsi3sk = :g3sk');
      Object.assign(values, { ':expires': to.offerExpiresAt, ':g3pk': OFFERS_PK, ':g3sk': `${to.offerExpiresAt}#${registration.sessionId}#${registration.participantId}` });
    } else removes.push('offerExpiresAt', 'gsi3pk', 'gsi3sk');
    if (registration.status === 'offered' && to.status === 'offered') throw new Error('an offer cannot be re-offered');
    // Leaving a hold (address confirmation) drops what only a hold has; its gsi3 entry goes above.
    if (registration.status === 'held') removes.push('heldAs', 'holdExpiresAt', 'holdIds', 'dataTtl');

    const adds = Object.keys(counters).map((counter) => `${counter} :${counter}`);
    const sessionValues: Record<string, unknown> = Object.fromEntries(Object.entries(counters).map(([counter, delta]) => [`:${counter}`, delta]));
    // Taking a seat needs room and a scheduled session; releasing one never does.
    const takesSeat = counters.seatsTaken === 1;
    if (takesSeat) sessionValues[':scheduled'] = 'scheduled';
    const items = [
      {
        item: {
          Update: {
            TableName: this.tableName,
            Key: keys.registration(registration.sessionId, registration.participantId),
            UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
            ConditionExpression: '#status = :from',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        onConditionFailed: () => new RegistrationChanged(registration.sessionId, registration.participantId),
      },
      ...(adds.length
        ? [
            {
              item: {
                Update: {
                  TableName: this.tableName,
                  Key: keys.session(registration.sessionId),
                  UpdateExpression: `ADD ${adds.join(', ')}`,
                  ...(takesSeat
                    ? { ConditionExpression: '#status = :scheduled AND seatsTaken < #capacity', ExpressionAttributeNames: { '#status': 'status', '#capacity': 'capacity' } }
                    : {}),
                  ExpressionAttributeValues: sessionValues,
                },
              },
              onConditionFailed: () => new NoSeatFree(registration.sessionId),
            },
          ]
        : []),
      ...transition.outbox.map((outbox) => ({
        item: { Put: { TableName: this.tableName, Item: outbox } },
        onConditionFailed: () => new Error('outbox write failed'),
      })),
    ];
    await transactWrite(this.client, items);
  }

  private queryAll(input: QueryInput) {
    return queryAll(this.client, this.tableName, input);
  }
}
