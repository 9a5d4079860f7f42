import type { Server } from 'node:http';
import { forward, readBody, sendJson, serve } from './http-server.ts';

/** Twice DynamoDB's own request limit (16 MB): DynamoDB Local, not the front, refuses what DynamoDB would. */
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;

/**
 * A pass-through in front of DynamoDB Local that the handlers reach (AWS_ENDPOINT_URL_DYNAMODB), so a
 * share of their calls can be answered with ProvisionedThroughputExceededException, as a busy table
 * would. With no fault set it only forwards.
 */
export function startDynamoDbFront(port: number, upstreamPort: number, throttle: { share: number; count: number }): Promise<Server> {
  return serve(
    port,
    async (request, response) => {
      const body = await readBody(request, MAX_REQUEST_BYTES);
      if (throttle.share > 0 && Math.random() < throttle.share) {
        throttle.count++;
        sendJson(response, 400, { __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'Injected throttling' }, { 'content-type': 'application/x-amz-json-1.0' });
        return;
      }
      const upstream = await forward(upstreamPort, { method: request.method ?? 'POST', path: request.url ?? '/', headers: request.headers, body }).catch((error: unknown) => {
        sendJson(response, 502, { message: error instanceof Error ? error.message : String(error) });
        return undefined;
      });
      if (!upstream) return;
      response.writeHead(upstream.status, upstream.headers);
      response.end(upstream.body);
    },
    { name: 'dynamodb-front', keepAliveTimeoutMs: 60_000 },
  );
}
