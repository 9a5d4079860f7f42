import { systemClock } from '../core/clock.ts';
import { configOf } from '../core/config.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoProgrammeStore } from './dynamo-programme-store.ts';
import { listSessionsRoutes } from './list-sessions-routes.ts';

const config = configOf('TABLE_NAME', 'ORIGIN_SECRET');
const logger = createLogger('list-sessions');

/** GET /sessions: the public programme. */
export const handler = httpFunction({ logger, frontDoorSecret: config.ORIGIN_SECRET, routes: listSessionsRoutes({ sessions: new DynamoProgrammeStore(documentClient, config.TABLE_NAME), clock: systemClock }) });
