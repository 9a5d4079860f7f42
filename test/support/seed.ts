import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { languages, type Language, type Participant } from '../../functions/shared/model.ts';
import { keys } from '../../functions/shared/store/keys.ts';
import { registrationItem } from '../../functions/shared/store/dynamo-registration-store.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../infra/local/settings.ts';

const TABLE = 'convene';
const zones: Record<Language, string> = { ar: 'Asia/Riyadh', en: 'America/New_York', es: 'America/Bogota', fr: 'Africa/Dakar', ru: 'Europe/Moscow', zh: 'Asia/Shanghai' };

export function testDocumentClient() {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: inject('dynamodbUrl'), region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
}

/**
 * Writes `count` confirmed registrants of a session straight into the local table (participants in the
 * six languages, round robin), for fan-out tests at a scale the HTTP API would take minutes to reach.
 * Uses the same item builders as the store, and sets the session's seat counter to match.
 */
export async function seedConfirmedRegistrants(sessionId: string, count: number, registeredAt = new Date(Date.now() - 86_400_000)) {
  const client = testDocumentClient();
  const participants: Participant[] = [];
  const items: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const language = languages[i % languages.length]!;
    const participant: Participant = {
      participantId: randomUUID(),
      name: `Registrant ${i}`,
      email: `seed-${sessionId}-${i}@example.org`,
      organisation: 'Seeded organisation',
      stakeholderType: 'academia',
      country: 'CH',
      language,
      timeZone: zones[language],
      createdAt: registeredAt.toISOString(),
    };
    participants.push(participant);
    items.push({ ...keys.participant(participant.participantId), type: 'participant', ...participant });
    items.push({ ...keys.email(participant.email), type: 'email', participantId: participant.participantId });
    items.push(
      registrationItem({ participantId: participant.participantId, sessionId, status: 'confirmed', registeredAt: registeredAt.toISOString(), updatedAt: registeredAt.toISOString() }),
    );
  }
  for (let start = 0; start < items.length; start += 25) {
    let pending: Record<string, unknown>[] | undefined = items.slice(start, start + 25);
    while (pending && pending.length) {
      const out = await client.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
      pending = out.UnprocessedItems?.[TABLE]?.map((request) => request.PutRequest!.Item!) as Record<string, unknown>[] | undefined;
    }
  }
  await client.send(
    new UpdateCommand({ TableName: TABLE, Key: keys.session(sessionId), UpdateExpression: 'ADD seatsTaken :n', ExpressionAttributeValues: { ':n': count } }),
  );
  return participants;
}
