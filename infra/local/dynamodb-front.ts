import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';

async function read(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A pass-through in front of DynamoDB Local that the handlers reach (AWS_ENDPOINT_URL_DYNAMODB), so a
 * share of their calls can be answered with ProvisionedThroughputExceededException, as a busy table
 * would. With no fault set it only forwards.
 */
export function startDynamoDbFront(port: number, upstreamPort: number, throttle: { share: number; count: number }): Promise<Server> {
  const server = createServer(async (request, response) => {
    try {
      const body = await read(request);
      if (throttle.share > 0 && Math.random() < throttle.share) {
        throttle.count++;
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
        response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'Injected throttling' }));
        return;
      }
      const upstream = httpRequest(
        { host: '127.0.0.1', port: upstreamPort, method: request.method, path: request.url, headers: { ...request.headers, host: `127.0.0.1:${upstreamPort}` } },
        async (answer) => {
          const payload = await read(answer);
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(payload);
        },
      );
      upstream.on('error', (error) => {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: error.message }));
      });
      upstream.end(body);
    } catch (error) {
      response.writeHead(500);
      response.end(String(error));
    }
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
