import { randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';

/** What a refused form keeps: the fields as typed, and a refusal that is not about a field (a full session, too many mails). */
export const formDraft = z.object({
  values: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  /** The refusal's message in the language it was made in, shown only in that language. */
  problem: z.object({ statusCode: z.number().int(), message: z.string(), lang: z.string() }).optional(),
});
export type FormDraft = z.infer<typeof formDraft>;

/**
 * Post/Redirect/Get for the registration form: a refused submission is kept here for DRAFT_MINUTES under
 * a random id (128 bits) and the browser is sent to `GET /?draft=<id>`, so Back and Forward never post it
 * again and the language links keep what was typed. It holds what the visitor typed (a name, an address),
 * so it expires fast, is never listed or indexed, and is read only by the id in the visitor's own URL.
 */
export interface FormDrafts {
  save(draft: FormDraft, now: Date): Promise<string>;
  read(id: string, now: Date): Promise<FormDraft | undefined>;
}

export const DRAFT_MINUTES = 60;
const DRAFT_ID = /^[A-Za-z0-9_-]{22}$/;
const key = (id: string) => ({ pk: `DRAFT#${id}`, sk: 'DRAFT' });

export class DynamoFormDrafts implements FormDrafts {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(draft: FormDraft, now: Date): Promise<string> {
    const id = randomBytes(16).toString('base64url');
    const expires = Math.floor(now.getTime() / 1000) + DRAFT_MINUTES * 60;
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...key(id), type: 'draft', ...draft, expiresAt: expires, ttl: expires } }));
    return id;
  }

  async read(id: string, now: Date): Promise<FormDraft | undefined> {
    if (!DRAFT_ID.test(id)) return undefined;
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true }));
    // DynamoDB's TTL deletes within days, not at the second: an expired draft is gone as far as readers go.
    if (!out.Item || Number(out.Item.expiresAt) * 1000 <= now.getTime()) return undefined;
    const parsed = formDraft.safeParse(out.Item);
    return parsed.success ? parsed.data : undefined;
  }
}
