import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { configFields, loadConfig } from '../core/config.ts';
import { httpEdge, json, type HttpResult } from '../core/http/http-edge.ts';
import { createLogger } from '../core/logger.ts';
import { toSessionView } from '../core/sessions-view.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoProgrammeStore } from './dynamo-programme-store.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME }));
const logger = createLogger('list-sessions');
const programme = new DynamoProgrammeStore(documentClient, config.TABLE_NAME);

/** GET /sessions: the programme in start order with seats left; cacheable for a few seconds. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpEdge(logger))
  .handler(async () => {
    const now = new Date();
    const sessions = (await programme.listSessions()).map((session) => toSessionView(session, now));
    return json(200, { sessions }, { 'cache-control': 'public, max-age=5' });
  });
