import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { RequestError } from '../errors.ts';
import { t } from '../i18n/messages.ts';
import { requestLanguage, type HttpResult } from './http-edge.ts';

/**
 * The header CloudFront adds to every request it forwards (infra/constructs/front-door.ts), with a secret
 * value only the front door and the public functions know; the local runtime's HTTP API adds it too.
 */
export const FRONT_DOOR_HEADER = 'x-convene-front-door';

/**
 * Answers 404 to a request that did not come through the front door: the API's own endpoint would
 * otherwise serve the public routes past the web ACL's per-IP limits and rule set.
 */
export function throughFrontDoor(secret: string): MiddlewareObj<APIGatewayProxyEventV2, HttpResult> {
  const expected = Buffer.from(secret);
  return {
    before: async (request) => {
      const given = Buffer.from(request.event.headers?.[FRONT_DOOR_HEADER] ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new RequestError(404, 'not_found', t(requestLanguage(request.event), 'error.notFound'));
      }
    },
  };
}
