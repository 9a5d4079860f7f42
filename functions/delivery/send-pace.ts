import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * How fast a bulk sender may mail. SES counts recipients per second against the account's
 * `MaxSendRate`; a call above it has entries refused (ACCOUNT_THROTTLED). A pace splits a job into calls
 * of at most `perCall` recipients and spaces them so the sender stays within its rate.
 */
export interface SendPace {
  /** Recipients per call: half a second's worth, at most (a larger call could exceed the rate with its neighbour). */
  readonly perCall: number;
  /**
   * Calls a sender may have in flight at once. With one, a call's latency caps the rate (50 recipients in
   * a call that takes 0.8 s is 62 a second, whatever the pace allows); with two, the pace sets it.
   */
  readonly callsInFlight: number;
  /** Waits until `recipients` more may be sent. */
  take(recipients: number): Promise<void>;
}

/** No pacing (tests of the fan-out logic itself). */
export const unpaced: SendPace = { perCall: Number.POSITIVE_INFINITY, callsInFlight: 1, take: async () => {} };

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A pace of `ratePerSecond` recipients: each call waits for the time the previous ones used up. */
export class RatePace implements SendPace {
  readonly perCall: number;
  readonly callsInFlight = 2;
  private nextFree = 0;

  constructor(
    readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = sleepFor,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`A send rate must be positive, got ${ratePerSecond}`);
    // Half a second's worth per call: calls whose requests reach SES late or early (network jitter) can
    // then fall two into one of SES's one-second windows and still stay within the rate.
    this.perCall = Math.max(1, Math.floor(ratePerSecond / 2));
  }

  /** Reserves the slot before waiting, so calls in flight at once each get their own. */
  async take(recipients: number): Promise<void> {
    const start = Math.max(this.now(), this.nextFree);
    this.nextFree = start + (1000 * recipients) / this.ratePerSecond;
    const wait = start - this.now();
    if (wait > 0) await this.sleep(wait);
  }
}

/**
 * The share of the account's rate that bulk mail (notices, reminders) uses; the rest is kept for the
 * transactional mail (answers, offers, status changes) that arrives meanwhile. 10 % is also left unused
 * as a margin: SES measures the rate itself, over windows that do not match ours exactly.
 */
export const BULK_SHARE = 0.7;

export type SendQuota = { maxSendRate: number; max24HourSend: number; sentLast24Hours: number };

/** The account's sending quota (SES v2 GetAccount). */
export async function readSendQuota(client: SESv2Client): Promise<SendQuota> {
  const account = await client.send(new GetAccountCommand({}));
  const quota = account.SendQuota;
  if (!quota?.MaxSendRate || quota.Max24HourSend === undefined) throw new Error('GetAccount returned no SendQuota');
  return { maxSendRate: quota.MaxSendRate, max24HourSend: quota.Max24HourSend, sentLast24Hours: quota.SentLast24Hours ?? 0 };
}

/** The pace of one bulk job, from the account's quota read when the job starts. */
export const bulkPace = (quota: SendQuota): SendPace => new RatePace(quota.maxSendRate * BULK_SHARE);

/** The share of the daily quota bulk mail may use: the rest stays for transactional mail. */
export const BULK_DAILY_SHARE = 0.9;

/** Recipients bulk mail may still reach today; at 0 it pauses, and resumes as the 24-hour window moves on. */
export const dailyAllowance = (quota: SendQuota): number => Math.max(0, Math.floor(quota.max24HourSend * BULK_DAILY_SHARE) - quota.sentLast24Hours);
