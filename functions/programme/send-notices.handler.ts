import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { fanOutAdapters } from './fan-out-adapters.ts';
import { createLogger } from '../core/logger.ts';
import { businessMetrics, publishCounts } from '../core/metrics.ts';
import { sendDueNotices } from './send-notices.ts';
import { scheduledEvent } from '../core/scheduled-event.ts';
import { LEASE_MARGIN_MS, whileLeased } from '../core/store/lease.ts';

const adapters = fanOutAdapters();
const logger = createLogger('send-notices');
const metrics = businessMetrics('send-notices');

/** The `notices` schedule: one coalesced notice per registrant for each session whose edits went quiet. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown, context: Context) => {
    const { time } = scheduledEvent.parse(event);
    // One run at a time: a run that outlasts its interval is never overlapped by the next, which would mail twice.
    const run = await whileLeased(adapters.lease, 'notices', adapters.clock.now(), context.getRemainingTimeInMillis() + LEASE_MARGIN_MS, async () =>
      sendDueNotices({ notices: adapters.programme, ...(await adapters.common(() => context.getRemainingTimeInMillis())), mailer: adapters.personalMailer }, new Date(time)),
    );
    if (!run.ran) {
      logger.info('another notices run holds the lease; this one does nothing', { time });
      return { skipped: 'lease-held' };
    }
    const { result } = run;
    logger.info('notices sent', { time, ...result });
    publishCounts(metrics, { MailsSent: result.sent, MailsThrottled: result.throttled, FailedRecipients: result.failed, BulkPausedForDailyQuota: result.stopped === 'daily-quota' ? 1 : 0 });
    // The digest says so too: organisers read it, not CloudWatch.
    if (result.stopped === 'daily-quota') await adapters.stats.count(new Date(time), { 'mail|paused-daily-quota': 1 });
    return result;
  });
