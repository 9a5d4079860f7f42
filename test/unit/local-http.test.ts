import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { startAwsEndpoint } from '../../infra/local/aws-endpoint.ts';
import type { LocalEventBus } from '../../infra/local/event-bus.ts';
import { startHttpApi } from '../../infra/local/http-api.ts';
import { closeServer, HttpError, LOOPBACK, parseJson, readBody, sendJson, serve } from '../../infra/local/http-server.ts';
import type { LocalLambdas } from '../../infra/local/lambdas.ts';
import { startSesFront } from '../../infra/local/ses-front.ts';

// Every server listens on port 0 (a free port the system picks), on the loopback interface only.
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map(closeServer));
});

function urlOf(server: Server): string {
  servers.push(server);
  const address = server.address() as AddressInfo;
  expect(address.address).toBe(LOOPBACK);
  return `http://${LOOPBACK}:${address.port}`;
}

const post = (url: string, body: string, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('the local HTTP servers share their plumbing', () => {
  it('answers JSON, refuses malformed JSON and oversized bodies with 4xx, and fails unexpected errors with 500', async () => {
    const url = urlOf(
      await serve(
        0,
        async (request, response) => {
          const body = await readBody(request, 64);
          if (request.url === '/boom') throw new Error('unexpected');
          if (request.url === '/teapot') throw new HttpError(418, 'short and stout');
          sendJson(response, 200, { echo: parseJson(body, null) });
        },
        { name: 'test' },
      ),
    );
    expect(await (await post(`${url}/`, '{"a":1}')).json()).toEqual({ echo: { a: 1 } });
    expect(await (await fetch(`${url}/`)).json()).toEqual({ echo: null });
    const malformed = await post(`${url}/`, '{"a":');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ message: 'Malformed JSON body' });
    expect((await post(`${url}/`, JSON.stringify({ text: 'x'.repeat(100) }))).status).toBe(413);
    expect((await post(`${url}/teapot`, '')).status).toBe(418);
    const failed = await post(`${url}/boom`, '');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ message: 'unexpected' });
  });

  it('answers a malformed JSON body on a /_local route with 400, not 500', async () => {
    const url = urlOf(
      await startHttpApi(0, {} as LocalLambdas, [
        {
          method: 'POST',
          path: '/_local/echo/{name}',
          handle: async (_request, body, params) => ({ status: 200, body: { name: params.name, body: parseJson(body) } }),
        },
      ]),
    );
    expect(await (await post(`${url}/_local/echo/x`, '{"ok":true}')).json()).toEqual({ name: 'x', body: { ok: true } });
    const malformed = await post(`${url}/_local/echo/x`, 'not json');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ message: 'Malformed JSON body' });
    expect((await fetch(`${url}/_local/nothing-here`)).status).toBe(404);
  });

  it('answers a malformed or invalid body on the SES front\'s /_front/faults with 400, not 500', async () => {
    // The emulator behind it is not needed for the front's own routes.
    const front = await startSesFront(0, 9);
    const url = urlOf(front.server);
    expect((await post(`${url}/_front/faults`, '{"throttleShare":')).status).toBe(400);
    expect((await post(`${url}/_front/faults`, '{"throttleShare":2}')).status).toBe(400);
    expect((await post(`${url}/_front/faults`, '{"unknownFault":1}')).status).toBe(400);
    expect(front.faults.throttleShare).toBe(0);
    const set = await post(`${url}/_front/faults`, '{"failBulkAfterCalls":2}');
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ throttleShare: 0, serverErrorShare: 0, failEntryShare: 0, failBulkAfterCalls: 2, failSendsAfterCalls: null });
    expect((await post(`${url}/_front/faults`, '')).status).toBe(200);
    expect(front.faults.failBulkAfterCalls).toBeNull();
    // A malformed SendBulkEmail body is SES's BadRequestException, not an upstream failure.
    const bulk = await post(`${url}/v2/email/outbound-bulk-emails`, '{');
    expect(bulk.status).toBe(400);
    expect(bulk.headers.get('x-amzn-errortype')).toBe('BadRequestException');
  });

  it('answers a malformed body on the AWS endpoint as AWS does: 400 SerializationException', async () => {
    const url = urlOf(await startAwsEndpoint(0, {} as LocalEventBus, { 'arn:secret': 'value' }));
    const malformed = await post(url, '{"SecretId":', { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { __type: string }).__type).toBe('SerializationException');
    const secret = await post(url, '{"SecretId":"arn:secret"}', { 'x-amz-target': 'secretsmanager.GetSecretValue', 'content-type': 'application/x-amz-json-1.1' });
    expect(((await secret.json()) as { SecretString: string }).SecretString).toBe('value');
  });
});
