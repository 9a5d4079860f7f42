import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { configFields, loadConfig } from '../core/config.ts';
import { htmlPage, httpEdge, requestLanguage, type HttpResult } from '../core/http/http-edge.ts';
import { createLogger } from '../core/logger.ts';
import { isTimeZone } from '../core/model.ts';
import { errorPageFor } from '../core/pages/error-pages.ts';
import { registrationPage } from './registration-page.ts';
import { toSessionView } from '../core/sessions-view.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoProgrammeStore } from '../programme/dynamo-programme-store.ts';

const config = loadConfig(z.object({ TABLE_NAME: configFields.TABLE_NAME, FORUM_TIME_ZONE: configFields.FORUM_TIME_ZONE }));
const logger = createLogger('web');
const programme = new DynamoProgrammeStore(documentClient, config.TABLE_NAME);

/** GET /: the registration page, in the visitor's language, the programme with seats left. */
export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .use(httpEdge(logger, errorPageFor))
  .handler(async (event) => {
    const lang = requestLanguage(event);
    const zone = event.queryStringParameters?.tz;
    const now = new Date();
    const sessions = (await programme.listSessions()).map((session) => toSessionView(session, now));
    return htmlPage(
      200,
      registrationPage({
        lang,
        sessions,
        forumTimeZone: config.FORUM_TIME_ZONE,
        displayTimeZone: zone && isTimeZone(zone) ? zone : config.FORUM_TIME_ZONE,
        switchHref: (other) => `/?lang=${other}${zone ? `&tz=${encodeURIComponent(zone)}` : ''}`,
      }),
    );
  });
