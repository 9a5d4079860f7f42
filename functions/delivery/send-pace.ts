import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * How fast a bulk sender may mail. SES counts recipients per second against the account's
 * `MaxSendRate`; a call above it has entries refused (ACCOUNT_THROTTLED). A pace splits a job into calls
 * of at most `perCall` recipients and spaces them so the senders, together, stay within their share.
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

/**
 * The account's bulk send rate, shared by every bulk sender at once (a notices run and a reminders run may
 * overlap, each on its own function): recipients counted per half-second slot in one place.
 */
export interface RateLedger {
  /**
   * Adds `recipients` to the count of slot `slot` (of `slotMs` each) if it stays within `limit`; false,
   * writing nothing, when it would not. Senders of one rate share a grid; another rate has its own.
   */
  reserve(slot: { index: number; slotMs: number }, recipients: number, limit: number): Promise<boolean>;
}

/** SES SendBulkEmail's limit of destinations per call. */
export const SEND_BULK_MAX_DESTINATIONS = 50;

/** A sender looks this far ahead for room before it gives up (the run fails, and the next one resumes). */
const MAX_LOOK_AHEAD_MS = 60_000;
/** Slots a sender holds reserved ahead of its calls (one per call in flight, and one more). */
const RESERVED_AHEAD = 3;

/**
 * A pace of `ratePerSecond` recipients for all the account's bulk senders together: each call reserves
 * room in the first half-second slot that has it (a DynamoDB item per slot, `RateLedger`) and waits for
 * that slot to begin. Two jobs at once share the rate instead of each taking it whole; one job alone gets
 * it whole. Reservations are made ahead and in order, so calls in flight at once each get their own slot.
 */
export class SharedRatePace implements SendPace {
  readonly perCall: number;
  readonly callsInFlight = 2;
  /** A slot holds one call of `perCall`: half a second at 2/s or more, longer below (a sandbox's 1/s). */
  readonly slotMs: number;

  constructor(
    readonly ratePerSecond: number,
    private readonly ledger: RateLedger,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = sleepFor,
    /** The most one call can carry (SendBulkEmail: 50 destinations): a slot then holds exactly one call. */
    maxPerCall: number = SEND_BULK_MAX_DESTINATIONS,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`A send rate must be positive, got ${ratePerSecond}`);
    // At most half a second's worth per call: calls whose requests reach SES late or early (network
    // jitter) can then fall two into one of SES's one-second windows and still stay within the rate. A
    // slot is as long as one call's worth takes at the rate (at 140/s: 50 per 358 ms), so no slot is left
    // part-empty by calls that do not divide it.
    this.perCall = Math.max(1, Math.min(maxPerCall, Math.floor(ratePerSecond / 2)));
    this.slotMs = Math.ceil((1000 * this.perCall) / ratePerSecond);
  }

  /**
   * Slots reserved ahead, in order, each for as many recipients as the call that asked (a fan-out's calls
   * are all of one size but its last few), so that a ledger write's latency (a DynamoDB round trip, slower
   * under load) overlaps the wait for the slot instead of adding to it.
   */
  private ahead: Array<Promise<{ index: number; recipients: number }>> = [];
  private tail: Promise<{ index: number; recipients: number }> = Promise.resolve({ index: Number.NEGATIVE_INFINITY, recipients: 0 });

  async take(recipients: number): Promise<void> {
    if (recipients > this.perCall) throw new Error(`A call of ${recipients} exceeds the pace's ${this.perCall} per call`);
    for (;;) {
      while (this.ahead.length < RESERVED_AHEAD) {
        this.tail = this.tail.then((previous) => this.reserveFrom(previous.index, recipients));
        this.ahead.push(this.tail);
      }
      const slot = await this.ahead.shift()!;
      // A reservation too small for this call is left unused (the calls ahead of it grew), and so is a slot
      // already over (the calls before took long): sending in it now would crowd the next one.
      if (slot.recipients < recipients) continue;
      const wait = slot.index * this.slotMs - this.now();
      if (wait < -this.slotMs) continue;
      if (wait > 0) await this.sleep(wait);
      return;
    }
  }

  /** The first slot from `from` on (the previous reservation's, which may have room left; never one under way) with room for `recipients`, reserved. */
  private async reserveFrom(from: number, recipients: number): Promise<{ index: number; recipients: number }> {
    const first = Math.max(from, Math.ceil(this.now() / this.slotMs));
    const last = first + Math.ceil(MAX_LOOK_AHEAD_MS / this.slotMs);
    for (let index = first; index < last; index++) {
      if (await this.ledger.reserve({ index, slotMs: this.slotMs }, recipients, this.perCall)) return { index, recipients };
    }
    throw new Error(`No room to send ${recipients} in the next ${MAX_LOOK_AHEAD_MS / 1000} s: other bulk senders hold the rate`);
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

/** The pace of one bulk job, from the account's quota read when the job starts, shared through `ledger`. */
export const bulkPace = (quota: SendQuota, ledger: RateLedger): SendPace => new SharedRatePace(quota.maxSendRate * BULK_SHARE, ledger);

/** The share of the daily quota bulk mail may use: the rest stays for transactional mail. */
export const BULK_DAILY_SHARE = 0.9;

/** Recipients bulk mail may still reach today; at 0 it pauses, and resumes as the 24-hour window moves on. */
export const dailyAllowance = (quota: SendQuota): number => Math.max(0, Math.floor(quota.max24HourSend * BULK_DAILY_SHARE) - quota.sentLast24Hours);
