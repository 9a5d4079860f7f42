/**
 * Runs the register handler (functions/intake/register.handler.ts) in this process, invoked directly with API
 * Gateway v2 events, at a given concurrency against the bench runtime's DynamoDB Local: the intake path
 * without the local HTTP API and without the event consumers that share the runtime's process.
 * Args: count, concurrency, comma-separated session ids, address prefix. Prints its result line.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handlerEnv } from './support/config.ts';
import { FRONT_DOOR_HEADER } from '../../functions/core/http/front-door.ts';
import { LOCAL_ORIGIN_SECRET } from '../../infra/local/settings.ts';
import { emitResult } from './support/child.ts';
import { registrationBody } from './support/http.ts';
import { pool } from './support/stats.ts';

Object.assign(process.env, handlerEnv());
const [count = '500', concurrency = '16', sessions = '', prefix = 'handler'] = process.argv.slice(2);
const sessionIds = sessions.split(',');

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }>;
const { handler } = (await import('../../functions/intake/register.handler.ts')) as { handler: Handler };

const context = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'convene-register',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:convene-register',
  memoryLimitInMB: '512',
  awsRequestId: randomUUID(),
  logGroupName: '/aws/lambda/convene-register',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

function event(body: unknown): APIGatewayProxyEventV2 {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: 'POST /registrations',
    rawPath: '/registrations',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host: '127.0.0.1:3300', [FRONT_DOOR_HEADER]: LOCAL_ORIGIN_SECRET },
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: '127.0.0.1',
      domainPrefix: 'local',
      http: { method: 'POST', path: '/registrations', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: randomUUID(),
      routeKey: 'POST /registrations',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

const total = Number(count);
let failures = 0;
const started = performance.now();
await pool(total, Number(concurrency), async (index) => {
  const out = await handler(event(registrationBody([sessionIds[index % sessionIds.length]!], `${prefix}-${index}@example.org`)), context()).catch(() => ({ statusCode: 500 }));
  if (out.statusCode !== 201) failures++;
});
const seconds = (performance.now() - started) / 1000;
emitResult({ perSecond: total / seconds, seconds, failures });
