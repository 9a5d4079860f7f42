import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { registrationRequest } from './registration-request.ts';

/** What a refused form keeps: the form's own fields as typed, nothing else that was posted. */
export const formDraft = z.object({ values: z.record(z.string(), z.union([z.string(), z.array(z.string())])) });
export type FormDraft = z.infer<typeof formDraft>;

/**
 * Post/Redirect/Get for the registration form: a browser's submission refused for its fields is kept for
 * DRAFT_MINUTES and the browser is sent to `GET /?draft=<id>`, so Back and Forward never post it again
 * and the language links keep what was typed. It holds what the visitor typed (a name, an address), so it
 * is encrypted (AES-128-GCM) with a key that exists only in the visitor's URL: the item, its stream record
 * and the table's backups hold ciphertext under a random lookup id, readable by nobody without the URL,
 * and it expires within the hour (DynamoDB's TTL removes the item later).
 */
export interface FormDrafts {
  save(values: FormDraft['values'], now: Date): Promise<string>;
  read(id: string, now: Date): Promise<FormDraft | undefined>;
}

export const DRAFT_MINUTES = 60;
/** 16 bytes of lookup id and 16 of key, base64url. */
const DRAFT_ID = /^[A-Za-z0-9_-]{43}$/;
const FIELDS = new Set(Object.keys(registrationRequest.shape));
const key = (lookup: Buffer) => ({ pk: `DRAFT#${lookup.toString('base64url')}`, sk: 'DRAFT' });

export class DynamoFormDrafts implements FormDrafts {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(values: FormDraft['values'], now: Date): Promise<string> {
    const kept = Object.fromEntries(Object.entries(values).filter(([name]) => FIELDS.has(name)));
    const [lookup, secret, iv] = [randomBytes(16), randomBytes(16), randomBytes(12)];
    const cipher = createCipheriv('aes-128-gcm', secret, iv);
    const sealed = Buffer.concat([cipher.update(JSON.stringify({ values: kept }), 'utf8'), cipher.final()]);
    const expires = Math.floor(now.getTime() / 1000) + DRAFT_MINUTES * 60;
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key(lookup), type: 'draft', sealed: Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64'), expiresAt: expires, ttl: expires } }),
    );
    return Buffer.concat([lookup, secret]).toString('base64url');
  }

  async read(id: string, now: Date): Promise<FormDraft | undefined> {
    if (!DRAFT_ID.test(id)) return undefined;
    const raw = Buffer.from(id, 'base64url');
    const out = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key(raw.subarray(0, 16)), ConsistentRead: true }));
    if (!out.Item || Number(out.Item.expiresAt) * 1000 <= now.getTime() || typeof out.Item.sealed !== 'string') return undefined;
    try {
      const sealed = Buffer.from(out.Item.sealed, 'base64');
      const decipher = createDecipheriv('aes-128-gcm', raw.subarray(16), sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      const text = Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
      const parsed = formDraft.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      // Another key (a forged or altered id): nothing to show.
      return undefined;
    }
  }
}
