import middy, { type MiddlewareObj } from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors.ts';
import type { Language } from '../model.ts';
import { throughFrontDoor } from './front-door.ts';
import { httpEdge, requestLanguage, type HttpResult } from './http-edge.ts';

/**
 * Marks every response `Cache-Control: no-store` (browsers, proxies and CDNs keep no copy), unless the
 * route set its own. Registered before the HTTP edge, so it also sees the edge's error answers.
 */
function noStore(): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  const mark = async (request: { response: HttpResult | undefined | null }) => {
    const response = request.response;
    if (response && typeof response === 'object' && !response.headers?.['cache-control']) response.headers = { ...response.headers, 'cache-control': 'no-store' };
  };
  return { after: mark, onError: mark };
}

/** What a route receives: the API Gateway v2 event and the language the answer should be in. */
export type HttpRequest = { event: APIGatewayProxyEventV2; lang: Language };
export type Route = (request: HttpRequest) => Promise<HttpResult>;
/** Routes by API Gateway route key (`'POST /me/cancel'`), the same keys as the topology's routes. */
export type Routes = Readonly<Record<string, Route>>;

/**
 * An HTTP function: logger context, the HTTP edge (RequestError → its 4xx, anything else → a 500 that
 * reveals nothing; pages for browsers when `errorPage` is given), and dispatch on the route key; an
 * unknown key is a 404.
 *
 * Powertools' event-handler `http` Router was considered: in 2.35 it is marked "under active development
 * and may undergo significant changes", converts every event to a Web Request and back, and would bring
 * the tracer and metrics packages as peers into every HTTP bundle; API Gateway already matches the route,
 * so dispatching on its `routeKey` is all a function needs.
 */
export function httpFunction(options: {
  logger: Logger;
  routes: Routes;
  errorPage?: (lang: Language, statusCode: number) => string;
  /** Answers about one person (their registrations, their answer): every response, errors too, is `no-store`. */
  personal?: boolean;
  /** Public routes: the secret the front door sends in FRONT_DOOR_HEADER; anything else is answered 404. */
  frontDoorSecret?: string;
}) {
  return middy<APIGatewayProxyEventV2, HttpResult>()
    .use([
      injectLambdaContext(options.logger),
      ...(options.personal ? [noStore()] : []),
      httpEdge(options.logger, options.errorPage),
      ...(options.frontDoorSecret ? [throughFrontDoor(options.frontDoorSecret)] : []),
    ])
    .handler(async (event) => {
      const route = options.routes[event.routeKey];
      if (!route) throw new RequestError(404, 'not_found', 'Not found.');
      return route({ event, lang: requestLanguage(event) });
    });
}
