import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { fanOutAdapters } from './fan-out-adapters.ts';
import { createLogger } from '../core/logger.ts';
import { businessMetrics, publishCounts } from '../core/metrics.ts';
import { sendDueNotices } from './send-notices.ts';
import { scheduledEvent } from '../core/scheduled-event.ts';

const adapters = fanOutAdapters();
const logger = createLogger('send-notices');
const metrics = businessMetrics('send-notices');

/** The `notices` schedule: one coalesced notice per registrant for each session whose edits went quiet. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown, context: Context) => {
    const { time } = scheduledEvent.parse(event);
    const result = await sendDueNotices({ notices: adapters.programme, ...(await adapters.common(() => context.getRemainingTimeInMillis())) }, new Date(time));
    logger.info('notices sent', { time, ...result });
    publishCounts(metrics, { MailsSent: result.sent, MailsThrottled: result.throttled, FailedRecipients: result.failed, BulkPausedForDailyQuota: result.stopped === 'daily-quota' ? 1 : 0 });
    // The digest says so too: organisers read it, not CloudWatch.
    if (result.stopped === 'daily-quota') await adapters.stats.count(new Date(time), { 'mail|paused-daily-quota': 1 });
    return result;
  });
