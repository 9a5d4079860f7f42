import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { LocalEventBus, PutEventsEntry } from './event-bus.ts';

export type LocalSecrets = Record<string, string>;

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/**
 * The AWS JSON 1.1 endpoint of the services Convene has no off-the-shelf local stand-in for: EventBridge
 * (PutEvents) and Secrets Manager (GetSecretValue). The SDK reaches it through AWS_ENDPOINT_URL_EVENTBRIDGE
 * and AWS_ENDPOINT_URL_SECRETS_MANAGER, so handler code is the same as in AWS.
 */
export function startAwsEndpoint(port: number, bus: LocalEventBus, secrets: LocalSecrets): Promise<Server> {
  const server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const body = await readJson(request);
      if (target === 'AWSEvents.PutEvents') {
        const entries = (body.Entries ?? []) as PutEventsEntry[];
        if (!Array.isArray(entries) || entries.length === 0 || entries.length > 10) {
          reply(400, { __type: 'ValidationException', message: 'Entries must hold 1 to 10 items' });
          return;
        }
        reply(200, bus.putEvents(entries));
        return;
      }
      if (target === 'secretsmanager.GetSecretValue') {
        const id = String(body.SecretId ?? '');
        const value = secrets[id];
        if (value === undefined) {
          reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
          return;
        }
        reply(200, { ARN: id, Name: id.split(':').pop(), SecretString: value, VersionId: 'local', VersionStages: ['AWSCURRENT'], CreatedDate: 0 });
        return;
      }
      reply(400, { __type: 'UnknownOperationException', message: `Unsupported operation ${target}` });
    } catch (error) {
      reply(500, { __type: 'InternalException', message: error instanceof Error ? error.message : String(error) });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
