import path from 'node:path';
import { localNames, routeKeys } from '../../../infra/topology.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, TOKEN_SECRET_ID, LOCAL_ORIGIN_SECRET } from '../../../infra/local/settings.ts';

/** Repository root: the runtime, the bundles and the results are all placed relative to it. */
export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');
export const benchDir = path.join(repoRoot, 'test', 'bench');
export const resultsDir = path.join(benchDir, 'results');

/** The bench's own ports, away from `npm start` (3000/…) and the test runtimes (3100/…, 3200/…). */
export const ports = { api: 3300, ses: 8305, sesEmulator: 8306, dynamodb: 8300, dynamodbFront: 8301, aws: 4310 } as const;

export const urls = {
  api: `http://127.0.0.1:${ports.api}`,
  /** The SES front (counts SendBulkEmail calls, expands them into the emulator). */
  ses: `http://127.0.0.1:${ports.ses}`,
  /** aws-ses-v2-local itself: `GET /store?since=`, `POST /clear-store`. */
  sesEmulator: `http://127.0.0.1:${ports.sesEmulator}`,
  /**
   * DynamoDB as the handlers meet it: through the runtime's DynamoDB front (transaction conflicts), so a
   * baseline pays the same stand-in's cost as Convene does.
   */
  dynamodb: `http://127.0.0.1:${ports.dynamodbFront}`,
  aws: `http://127.0.0.1:${ports.aws}`,
} as const;

/** The manage-link secret of the bench runtime: fixed, so the bare fan-out loop can sign identical links. */
export const BENCH_TOKEN_SECRET = 'bench-only-secret-0123456789abcdef0123456789';

export const TABLE_NAME = 'convene';
export const MAIL_FROM = 'forum@example.org';
export const FORUM_TIME_ZONE = 'Europe/Zurich';

/**
 * The handler environment, as infra/local/runtime.ts sets it for the in-process handlers: the SDK reaches
 * the stand-ins only through the AWS_ENDPOINT_URL_* variables.
 */
export function handlerEnv(): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: urls.dynamodb,
    AWS_ENDPOINT_URL_SESV2: urls.ses,
    AWS_ENDPOINT_URL_EVENTBRIDGE: urls.aws,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: urls.aws,
    TABLE_NAME,
    IDEMPOTENCY_TABLE_NAME: 'convene-idempotency',
    EVENT_BUS_NAME: localNames.bus,
    PUBLIC_URL: urls.api,
    MAIL_FROM,
    ORGANISER_ADDRESSES: 'organisers@example.org',
    FORUM_TIME_ZONE,
    TOKEN_SECRET_ARN: TOKEN_SECRET_ID,
    CONFIGURATION_SET: localNames.configurationSet,
    ORIGIN_SECRET: LOCAL_ORIGIN_SECRET,
    ROUTE_KEYS: routeKeys,
  };
}
