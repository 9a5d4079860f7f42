import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { FRONT_DOOR_HEADER } from '../../functions/core/http/front-door.ts';
import { defaultRoute, routes, type FunctionName } from '../topology.ts';
import type { LocalLambdas } from './lambdas.ts';
import { readBody, sendJson, serve } from './http-server.ts';
import { LOCAL_ACCOUNT, LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_ORIGIN_SECRET } from './settings.ts';
import { verifySigV4 } from './sigv4.ts';

/** API Gateway's own payload limit; the handlers enforce Convene's smaller one. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** A local-only route; a handler throws HttpError (e.g. from parseJson) to refuse a request with its 4xx. */
export type LocalRoute = { method: string; path: string; handle: (request: IncomingMessage, body: Buffer, params: Record<string, string>) => Promise<{ status: number; body: unknown }> };

/** What a request is handed to: a function, under a route key (`GET /me`, or `$default` for a request no route matches). */
type Target = { function: FunctionName; routeKey: string; auth: 'none' | 'iam' };
type Compiled = { spec: Target; method: string; regex: RegExp; names: string[] };

function compile(route: (typeof routes)[number]): Compiled {
  const spec: Target = { function: route.function, routeKey: `${route.method} ${route.path}`, auth: route.auth };
  const names: string[] = [];
  const pattern = route.path.replace(/\{(\w+)(\+?)\}/g, (_, name: string, greedy: string) => {
    names.push(name);
    return greedy ? '(.+)' : '([^/]+)';
  });
  return { spec, method: route.method, regex: new RegExp(`^${pattern}$`), names };
}

/**
 * The local HTTP API: the topology's routes, each turned into an API Gateway v2 (payload 2.0) event for
 * its handler; IAM routes need a valid SigV4 signature from the local credentials, as in AWS. `extra`
 * adds the local-only routes (`/health`, `/_local/*`), which never exist in the CDK stack.
 */
export function startHttpApi(port: number, lambdas: LocalLambdas, extra: LocalRoute[]): Promise<Server> {
  const compiled = routes.map(compile);

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
    const method = request.method ?? 'GET';
    const body = await readBody(request, MAX_PAYLOAD_BYTES);

    for (const route of extra) {
      const params = matchPath(route.path, url.pathname);
      if (route.method === method && params) {
        const result = await route.handle(request, body, params);
        sendJson(response, result.status, result.body);
        return;
      }
    }

    // The local-only tools' namespace answers its own 404 (it never exists in the stack).
    if (url.pathname.startsWith('/_local/')) {
      sendJson(response, 404, { message: 'Not Found' });
      return;
    }
    const found = compiled.map((c) => ({ c, m: c.regex.exec(url.pathname) })).find(({ c, m }) => m && c.method === method);
    // As API Gateway does: a request no route matches goes to the `$default` route (topology.defaultRoute).
    const target: Target = found ? found.c.spec : { function: defaultRoute.function, routeKey: '$default', auth: defaultRoute.auth };
    const headers = flatHeaders(request);
    if (target.auth === 'iam') {
      const refusal = await verifySigV4(
        { method, host: headers.host ?? '', path: url.pathname, query: queryRecord(url), headers, body },
        LOCAL_CREDENTIALS,
        LOCAL_REGION,
      );
      if (refusal) {
        sendJson(response, 403, { message: 'Forbidden', reason: refusal });
        return;
      }
    }
    const pathParameters = found ? Object.fromEntries(found.c.names.map((name, index) => [name, decodeURIComponent(found.m![index + 1]!)])) : {};
    // The local runtime plays CloudFront too: the front door's header, whatever the client sent.
    const event = apiGatewayEvent(target, method, url, { ...headers, [FRONT_DOOR_HEADER]: LOCAL_ORIGIN_SECRET }, body, pathParameters, request.socket.remoteAddress ?? '127.0.0.1');
    const result = await lambdas.invoke(target.function, event).catch((error: unknown) => {
      console.error(`[api] ${target.function} threw:`, error instanceof Error ? error.message : error);
      return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Internal Server Error' }) };
    });
    writeResult(response, result);
  }

  return serve(port, handle, { name: 'api', fail: (response) => sendJson(response, 500, { message: 'Internal Server Error' }) });
}

function matchPath(template: string, pathname: string): Record<string, string> | undefined {
  const names: string[] = [];
  const regex = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
  const match = regex.exec(pathname);
  return match ? Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)])) : undefined;
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function queryRecord(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0]! : values;
  }
  return query;
}

/** Builds the payload-2.0 event exactly as API Gateway HTTP APIs do (lower-case headers, joined repeats). */
function apiGatewayEvent(
  spec: Target,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  pathParameters: Record<string, string>,
  sourceIp: string,
): APIGatewayProxyEventV2 {
  const now = new Date();
  const textual = /^(application\/(json|x-www-form-urlencoded)|text\/)/.test(headers['content-type'] ?? '');
  const query: Record<string, string> = {};
  for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key).join(',');
  const routeKey = spec.routeKey;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT,
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !textual } : { isBase64Encoded: false }),
  } as APIGatewayProxyEventV2;
}

/** Maps a handler's result as API Gateway does: structured result, or any other value as JSON 200. */
function writeResult(response: ServerResponse, result: unknown) {
  if (result && typeof result === 'object' && 'statusCode' in result) {
    const r = result as { statusCode: number; headers?: Record<string, string>; body?: string; isBase64Encoded?: boolean; cookies?: string[] };
    const headers: Record<string, string | string[]> = { ...(r.headers ?? {}) };
    if (r.cookies?.length) headers['set-cookie'] = r.cookies;
    response.writeHead(r.statusCode, headers);
    response.end(r.body ? (r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body) : undefined);
    return;
  }
  if (typeof result === 'string') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(result);
  } else sendJson(response, 200, result ?? null);
}
