import { configOf } from '../core/config.ts';
import { json } from '../core/http/http-edge.ts';
import { httpFunction } from '../core/http/http-function.ts';
import { createLogger } from '../core/logger.ts';
import { toSessionView } from '../core/sessions-view.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoProgrammeStore } from './dynamo-programme-store.ts';

const config = configOf('TABLE_NAME');
const logger = createLogger('list-sessions');
const programme = new DynamoProgrammeStore(documentClient, config.TABLE_NAME);

/** GET /sessions: the programme in start order with seats left; cacheable for a few seconds. */
export const handler = httpFunction({
  logger,
  routes: {
    'GET /sessions': async () => {
      const now = new Date();
      const sessions = (await programme.listSessions()).map((session) => toSessionView(session, now));
      return json(200, { sessions }, { 'cache-control': 'public, max-age=5' });
    },
  },
});
