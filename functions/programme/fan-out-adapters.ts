import * as z from 'zod';
import { systemClock } from '../core/clock.ts';
import { configFields, loadConfig } from '../core/config.ts';
import { sesClient } from '../core/mail/ses-mailer.ts';
import { SesBulkMailer } from '../core/mail/ses-bulk-mailer.ts';
import { personalSesClient, SesPersonalMailer } from '../core/mail/ses-personal-mailer.ts';
import { tokenSigner } from '../identity/index.ts';
import { documentClient } from '../core/store/dynamo-client.ts';
import { DynamoLifecycleStore } from '../waitlist/index.ts';
import { bulkPace, dailyAllowance, DynamoFanOutProgress, DynamoRateLedger, readSendQuota } from '../delivery/index.ts';
import { DynamoProgrammeStore } from './dynamo-programme-store.ts';
import { DynamoParticipants } from '../core/store/dynamo-participants.ts';
import { DynamoStats } from '../core/store/activity-counters.ts';
import { DynamoLease } from '../core/store/lease.ts';

/** A fan-out run starts no call later than this before its function's timeout (a paced call can wait). */
const STOP_BEFORE_TIMEOUT_MS = 120_000;

/** Configuration and adapters shared by the two fan-out schedules (notices, reminders). */
export const fanOutConfig = z.object({
  TABLE_NAME: configFields.TABLE_NAME,
  PUBLIC_URL: configFields.PUBLIC_URL,
  MAIL_FROM: configFields.MAIL_FROM,
  MAIL_FROM_NAME: configFields.MAIL_FROM_NAME,
  CONFIGURATION_SET: configFields.CONFIGURATION_SET,
  TOKEN_SECRET_ARN: configFields.TOKEN_SECRET_ARN,
  FORUM_TIME_ZONE: configFields.FORUM_TIME_ZONE,
  TOKEN_TTL_DAYS: configFields.TOKEN_TTL_DAYS,
});

/** @param extra - what one of the jobs reads besides the shared configuration (the reminders: their leads) */
export function fanOutAdapters<E extends z.ZodRawShape = {}>(extra?: E) {
  const shared = loadConfig(fanOutConfig);
  const config = { ...shared, ...loadConfig(z.object(extra ?? ({} as E))) };
  const lifecycle = new DynamoLifecycleStore(documentClient, config.TABLE_NAME);
  const adapters = {
    config,
    programme: new DynamoProgrammeStore(documentClient, config.TABLE_NAME),
    lifecycle,
    participants: new DynamoParticipants(documentClient, config.TABLE_NAME),
    /** Bulk mail for reminders (one SendBulkEmail per 50), one message each for notices (an invitation names its ATTENDEE). */
    mailer: new SesBulkMailer(sesClient, { address: config.MAIL_FROM, name: config.MAIL_FROM_NAME }, config.CONFIGURATION_SET),
    personalMailer: new SesPersonalMailer(personalSesClient, { address: config.MAIL_FROM, name: config.MAIL_FROM_NAME }, config.CONFIGURATION_SET),
    progress: new DynamoFanOutProgress(documentClient, config.TABLE_NAME),
    /** The digest's counters: a run paused for the daily quota is counted there. */
    stats: new DynamoStats(documentClient, config.TABLE_NAME),
    /** The send rate every bulk run of the account shares (a notices run and a reminders run at once). */
    rateLedger: new DynamoRateLedger(documentClient, config.TABLE_NAME),
    /** One run of each job at a time (the lease replaces reserved concurrency 1). */
    lease: new DynamoLease(documentClient, config.TABLE_NAME),
    clock: systemClock,
    context: { from: config.MAIL_FROM, fromName: config.MAIL_FROM_NAME, publicUrl: config.PUBLIC_URL, forumTimeZone: config.FORUM_TIME_ZONE },
    tokens: () => tokenSigner(config.TOKEN_SECRET_ARN),
  };
  return {
    ...adapters,
    /**
     * What both fan-out jobs need, per invocation (the signing secret may rotate, the account's quota
     * change): the pace and daily allowance from the account's quota as it is now, and a stop two minutes
     * before the function's timeout, so a run never ends mid-call and the next one resumes.
     */
    async common(remainingMs: () => number) {
      const quota = await readSendQuota(sesClient);
      return {
        pace: bulkPace(quota, adapters.rateLedger),
        // One allowance for the whole run: every notice or reminder of it takes from the same quota.
        allowance: { left: dailyAllowance(quota) },
        shouldStop: () => remainingMs() < STOP_BEFORE_TIMEOUT_MS,
        registrations: adapters.lifecycle,
        participants: adapters.participants,
        mailer: adapters.mailer,
        progress: adapters.progress,
        clock: adapters.clock,
        tokens: await adapters.tokens(),
        context: adapters.context,
        tokenTtlDays: config.TOKEN_TTL_DAYS,
      };
    },
  };
}
