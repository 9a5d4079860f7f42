import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { FRONT_DOOR_HEADER } from '../../functions/core/http/front-door.ts';
import { httpFunction } from '../../functions/core/http/http-function.ts';
import { json } from '../../functions/core/http/http-edge.ts';

const SECRET = 'a-front-door-secret-of-some-length';
const handler = httpFunction({ logger: new Logger({ logLevel: 'SILENT' }), frontDoorSecret: SECRET, routes: { 'GET /sessions': async () => json(200, { sessions: [] }) } });
const event = (headers: Record<string, string>): APIGatewayProxyEventV2 =>
  ({ version: '2.0', routeKey: 'GET /sessions', rawPath: '/sessions', rawQueryString: '', headers, requestContext: { http: { method: 'GET', path: '/sessions' } }, isBase64Encoded: false }) as unknown as APIGatewayProxyEventV2;
const context = { functionName: 'test', awsRequestId: 'r', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

describe('the front door', () => {
  it('serves a public route to a request that came through CloudFront (its header with the secret)', async () => {
    const result = await handler(event({ [FRONT_DOOR_HEADER]: SECRET, accept: 'application/json' }), context);
    expect(result.statusCode).toBe(200);
  });

  it.each([
    ['without the header (the API\'s own endpoint)', {}],
    ['with a wrong secret', { [FRONT_DOOR_HEADER]: 'a-front-door-secret-of-some-lengtH' }],
    ['with a prefix of the secret', { [FRONT_DOOR_HEADER]: SECRET.slice(0, 10) }],
  ])('answers a request %s 404 in its language, as if nothing were there', async (_, headers) => {
    const result = await handler(event({ ...headers, 'accept-language': 'fr', accept: 'application/json' }), context);
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body as string).error).toMatchObject({ code: 'not_found', message: 'Introuvable.' });
  });
});
