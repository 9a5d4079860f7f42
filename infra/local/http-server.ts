import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * The plumbing the local runtime's HTTP servers share (the HTTP API, the AWS endpoint, the SES and
 * DynamoDB fronts): loopback only, bounded bodies, JSON answers, a client's mistake answered 4xx rather
 * than 500, and a close that does not wait for idle keep-alive connections.
 */
export const LOOPBACK = '127.0.0.1';

/** A request the server refuses with this status (4xx): the client's mistake, not the server's. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The whole body of a request (or of an upstream answer); past `limit` bytes, a 413 HttpError. */
export async function readBody(stream: AsyncIterable<unknown>, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'Request Entity Too Large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A JSON body: `empty` when there is none, a 400 HttpError when it is not JSON. */
export function parseJson(body: Buffer, empty: unknown = {}): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return empty;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'Malformed JSON body');
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export type ServeOptions = {
  /** Names the server in error logs. */
  name: string;
  /** Answers an HttpError (default: its status with JSON `{ message }`). */
  refuse?: (response: ServerResponse, error: HttpError) => void;
  /** Answers any other error (default: 500 with JSON `{ message }`); it is logged first. */
  fail?: (response: ServerResponse, error: unknown) => void;
  keepAliveTimeoutMs?: number;
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Starts an HTTP server on the loopback interface and resolves once it listens. Each request goes to
 * `handle`; whatever it throws is answered (HttpError by `refuse`, anything else by `fail`), so no request
 * is left hanging, and an answer already under way is cut rather than corrupted.
 */
export function serve(port: number, handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>, options: ServeOptions): Promise<Server> {
  const refuse = options.refuse ?? ((response, error) => sendJson(response, error.status, { message: error.message }));
  const fail = options.fail ?? ((response, error) => sendJson(response, 500, { message: messageOf(error) }));
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!(error instanceof HttpError)) console.error(`[${options.name}] failed:`, messageOf(error));
      if (response.headersSent) {
        if (!response.writableEnded) response.destroy();
        return;
      }
      if (error instanceof HttpError) refuse(response, error);
      else fail(response, error);
    });
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** Sends a request on to a server on the loopback interface and collects its whole answer. */
export function forward(
  upstreamPort: number,
  call: { method: string; path: string; headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>; body: Buffer },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  const { 'transfer-encoding': _chunked, ...headers } = call.headers;
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      {
        host: LOOPBACK,
        port: upstreamPort,
        method: call.method,
        path: call.path,
        headers: { ...headers, host: `${LOOPBACK}:${upstreamPort}`, 'content-length': String(call.body.length) },
      },
      (answer) => {
        readBody(answer).then((body) => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body }), reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(call.body);
  });
}

/** Stops accepting connections, drops the open ones (idle keep-alive included) and resolves when closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
