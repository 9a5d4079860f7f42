import type { Server, ServerResponse } from 'node:http';
import type { LocalEventBus, PutEventsEntry } from './event-bus.ts';
import { HttpError, parseJson, readBody, sendJson, serve } from './http-server.ts';

export type LocalSecrets = Record<string, string>;

/** Well above EventBridge's own request limit (1 MiB) and any secret. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const AWS_JSON = { 'content-type': 'application/x-amz-json-1.1' };
const awsError = (response: ServerResponse, status: number, type: string, message: string) => sendJson(response, status, { __type: type, message }, AWS_JSON);

/**
 * The AWS JSON 1.1 endpoint of the services Convene has no off-the-shelf local stand-in for: EventBridge
 * (PutEvents) and Secrets Manager (GetSecretValue). The SDK reaches it through AWS_ENDPOINT_URL_EVENTBRIDGE
 * and AWS_ENDPOINT_URL_SECRETS_MANAGER, so handler code is the same as in AWS. It also answers Lambda's
 * GetAccountSettings (AWS_ENDPOINT_URL_LAMBDA), for `npm run deploy:check`, with the local account's
 * concurrency quota (`lambdaConcurrency`; AWS's default is 1,000, a new account's can be 10).
 */
export function startAwsEndpoint(port: number, bus: LocalEventBus, secrets: LocalSecrets, lambdaConcurrency = 1000): Promise<Server> {
  return serve(
    port,
    async (request, response) => {
      const reply = (status: number, body: unknown) => sendJson(response, status, body, AWS_JSON);
      if (request.method === 'GET' && (request.url ?? '').split('?', 1)[0]!.replace(/\/$/, '') === '/2016-08-19/account-settings') {
        // Lambda GetAccountSettings (REST): nothing reserved locally, so all of it is unreserved.
        sendJson(response, 200, {
          AccountLimit: { ConcurrentExecutions: lambdaConcurrency, UnreservedConcurrentExecutions: lambdaConcurrency, CodeSizeUnzipped: 262_144_000, CodeSizeZipped: 52_428_800, TotalCodeSize: 80_530_636_800 },
          AccountUsage: { FunctionCount: 0, TotalCodeSize: 0 },
        });
        return;
      }
      const target = String(request.headers['x-amz-target'] ?? '');
      const json = parseJson(await readBody(request, MAX_REQUEST_BYTES));
      if (!json || typeof json !== 'object' || Array.isArray(json)) throw new HttpError(400, 'The request body must be a JSON object');
      const body = json as Record<string, unknown>;
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
      if (target === 'secretsmanager.PutSecretValue') {
        const id = String(body.SecretId ?? '');
        if (secrets[id] === undefined) {
          reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
          return;
        }
        if (typeof body.SecretString !== 'string' || body.SecretString.length === 0) {
          reply(400, { __type: 'InvalidParameterException', message: 'SecretString is required' });
          return;
        }
        secrets[id] = body.SecretString;
        reply(200, { ARN: id, Name: id.split(':').pop(), VersionId: `local-${Date.now()}`, VersionStages: ['AWSCURRENT'] });
        return;
      }
      reply(400, { __type: 'UnknownOperationException', message: `Unsupported operation ${target}` });
    },
    {
      name: 'aws',
      // A body the SDK would never send is the caller's mistake, as AWS answers it.
      refuse: (response, error) => awsError(response, error.status, error.status === 413 ? 'RequestEntityTooLargeException' : 'SerializationException', error.message),
      fail: (response, error) => awsError(response, 500, 'InternalException', error instanceof Error ? error.message : String(error)),
    },
  );
}
