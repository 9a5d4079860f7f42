import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { fanOutAdapters } from '../programme/index.ts';
import { configFields } from '../core/config.ts';
import { createLogger } from '../core/logger.ts';
import { businessMetrics, publishCounts } from '../core/metrics.ts';
import { sendDueReminders } from './send-reminders.ts';
import { scheduledEvent } from '../core/scheduled-event.ts';
import { LEASE_MARGIN_MS, whileLeased } from '../core/store/lease.ts';

const adapters = fanOutAdapters({ REMINDER_LEADS_MINUTES: configFields.REMINDER_LEADS_MINUTES });
const logger = createLogger('send-reminders');
const metrics = businessMetrics('send-reminders');

/** The `reminders` schedule (every 5 minutes): "now" is the scheduled event's time. */
export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown, context: Context) => {
    const { time } = scheduledEvent.parse(event);
    // One run at a time: a run that outlasts its interval is never overlapped by the next, which would mail twice.
    const run = await whileLeased(adapters.lease, 'reminders', adapters.clock.now(), context.getRemainingTimeInMillis() + LEASE_MARGIN_MS, async () =>
      sendDueReminders({ sessions: adapters.programme, leadsMinutes: adapters.config.REMINDER_LEADS_MINUTES, ...(await adapters.common(() => context.getRemainingTimeInMillis())) }, new Date(time)),
    );
    if (!run.ran) {
      logger.info('another reminders run holds the lease; this one does nothing', { time });
      return { skipped: 'lease-held' };
    }
    const { result } = run;
    logger.info('reminders sent', { time, ...result });
    publishCounts(metrics, { MailsSent: result.sent, MailsThrottled: result.throttled, FailedRecipients: result.failed, BulkPausedForDailyQuota: result.stopped === 'daily-quota' ? 1 : 0 });
    // The digest says so too: organisers read it, not CloudWatch.
    if (result.stopped === 'daily-quota') await adapters.stats.count(new Date(time), { 'mail|paused-daily-quota': 1 });
    return result;
  });
