import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { resolveSettings, type SettingName } from '../../functions/core/settings.ts';
import type { SesAccount } from './ses-front.ts';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** The local runtime's settings: the DESIGN.md contract's defaults, each overridable from the environment. */
const schema = z.object({
  CONVENE_API_PORT: port(3000),
  CONVENE_SES_PORT: port(8005),
  /** aws-ses-v2-local itself, behind the SES front on CONVENE_SES_PORT. */
  CONVENE_SES_EMULATOR_PORT: port(8006),
  CONVENE_DYNAMODB_PORT: port(8000),
  /** The fault-injecting front of DynamoDB Local that handlers use when faults are enabled (--faults). */
  CONVENE_DYNAMODB_FRONT_PORT: port(8001),
  /** A fixed manage-link secret (tests sign their own tokens with it); otherwise one is generated. */
  CONVENE_TOKEN_SECRET: z.string().min(32).optional(),
  CONVENE_AWS_PORT: port(4010),
  CONVENE_DATA_DIR: z.string().default(path.join(repoRoot, '.local')),
  CONVENE_MAIL_FROM: z.email().default('forum@example.org'),
  CONVENE_ORGANISERS: z.string().default('organisers@example.org'),
  CONVENE_FORUM_TIME_ZONE: z.string().default('Europe/Zurich'),
  /**
   * Backoff of local retries (doubling per attempt, at most 5 s): EventBridge waits minutes; locally 200 ms
   * keeps tests fast while a rule's 8 retries still span 10–20 s, longer than a busy invocation holds the
   * idempotency lock a duplicate delivery waits on.
   */
  CONVENE_RETRY_BASE_MS: z.coerce.number().min(0).default(200),
  /**
   * Overrides every local consumer queue's visibility timeout, which is otherwise the queue's own as CDK
   * sets it (six times its function's timeout), counted from the receive. Only the reliability suite sets
   * it, to compress the retries of the invocations it crashes.
   */
  CONVENE_QUEUE_VISIBILITY_MS: z.coerce.number().int().min(1).optional(),
  /**
   * The SES account the SES front plays (see sesAccountOf): its maximum send rate in recipients per
   * second (SES's default for an account out of the sandbox: 14), its 24-hour quota in recipients
   * (default 50 000), whether it is in the sandbox (then only verified recipients are accepted) and the
   * identities it has verified (addresses or domains, comma-separated).
   */
  CONVENE_SES_MAX_SEND_RATE: z.coerce.number().positive().default(14),
  CONVENE_SES_MAX_24H_SEND: z.coerce.number().min(0).default(50_000),
  CONVENE_SES_SANDBOX: z.stringbool({ truthy: ['on', 'true', '1'], falsy: ['off', 'false', '0'] }).default(false),
  CONVENE_SES_VERIFIED: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((identity) => identity.trim()).filter(Boolean)),
});

export type LocalSettings = z.infer<typeof schema> & {
  /**
   * The tunable settings (functions/core/settings.ts) from this process's environment
   * (`OFFER_CLAIM_HOURS=0 npm start`), validated by their declared schemas, as environment values; absent
   * ones carry the declared default. Each function receives only those its topology spec lists.
   */
  functionSettings: Record<SettingName, string>;
  /** Put fault-injecting fronts in the handlers' path (DynamoDB); faults themselves start switched off. */
  faults: boolean;
  inMemory: boolean;
  fresh: boolean;
  seed: boolean;
  clockSchedules: boolean;
};

export function localSettings(flags: { faults: boolean; inMemory: boolean; fresh: boolean; seed: boolean; clockSchedules: boolean }): LocalSettings {
  return { ...schema.parse(process.env), functionSettings: resolveSettings((name) => process.env[name], (name) => name), ...flags };
}

/** The SES account the SES front plays, from the CONVENE_SES_* settings. */
export function sesAccountOf(settings: Pick<LocalSettings, 'CONVENE_SES_MAX_SEND_RATE' | 'CONVENE_SES_MAX_24H_SEND' | 'CONVENE_SES_SANDBOX' | 'CONVENE_SES_VERIFIED'>): SesAccount {
  return {
    maxSendRate: settings.CONVENE_SES_MAX_SEND_RATE,
    max24HourSend: settings.CONVENE_SES_MAX_24H_SEND,
    sandbox: settings.CONVENE_SES_SANDBOX,
    verified: [...settings.CONVENE_SES_VERIFIED],
  };
}

/** Fixed credentials the local stand-ins accept; the admin API checks SigV4 signatures against them. */
/** What the local HTTP API, playing CloudFront, sends the public functions (core/http/front-door.ts). */
export const LOCAL_ORIGIN_SECRET = 'convene-local-front-door-secret';

export const LOCAL_CREDENTIALS = { accessKeyId: 'CONVENELOCALKEY', secretAccessKey: 'convene-local-secret-key' } as const;
export const LOCAL_REGION = 'eu-central-1';
export const LOCAL_ACCOUNT = '000000000000';
export const TOKEN_SECRET_ID = `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:convene/token-secret`;

/**
 * The manage-link secret. Kept in the data folder so links in mails survive a restart; in-memory runs
 * get a fresh one.
 */
export function localTokenSecret(settings: LocalSettings): string {
  if (settings.CONVENE_TOKEN_SECRET) return settings.CONVENE_TOKEN_SECRET;
  if (settings.inMemory) return randomBytes(32).toString('base64url');
  const file = path.join(settings.CONVENE_DATA_DIR, 'token-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(settings.CONVENE_DATA_DIR, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
