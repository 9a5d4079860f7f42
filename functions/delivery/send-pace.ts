import { GetAccountCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingMail } from '../core/mail/mailer.ts';

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
 * The account's send rate, shared by every sender at once (a notices run and a reminders run may overlap,
 * each on its own function, while the mail consumers answer registrations): recipients counted per slot
 * in one place, in total and for bulk mail alone.
 */
export interface RateLedger {
  /**
   * Adds `recipients` to the count of slot `slot` (of `slotMs` each) if it stays within `limits.total`
   * and, for a bulk call (`limits.bulk` given), the slot's bulk count within `limits.bulk` too. Answers
   * the slot's total count before this reservation, or undefined, writing nothing, when it does not fit.
   * Senders of one account rate share a grid; another rate has its own.
   */
  reserve(slot: { index: number; slotMs: number }, recipients: number, limits: { total: number; bulk?: number }): Promise<number | undefined>;
  /**
   * Adds `places` to the slot's total count whatever it holds, and answers the count before: the places
   * below the slot's capacity are the caller's, the rest are lost (the slot is full, which the count then
   * says to every sender). One write claims a whole slot's worth for transactional mail.
   */
  claim(slot: { index: number; slotMs: number }, places: number): Promise<number>;
}

/** SES SendBulkEmail's limit of destinations per call. */
export const SEND_BULK_MAX_DESTINATIONS = 50;

/** A sender looks this far ahead for room before it gives up (the run fails, and the next one resumes). */
const MAX_LOOK_AHEAD_MS = 60_000;
/** Slots a sender holds reserved ahead of its calls (one per call in flight, and one more). */
const RESERVED_AHEAD = 3;

/**
 * The calls and slots of a pace of `ratePerSecond`. At most half a second's worth per call: calls whose
 * requests reach SES late or early (network jitter) can then fall two into one of SES's one-second
 * windows and still stay within the rate. A slot is as long as one call's worth takes at the rate (at
 * 140/s: 50 per 358 ms), so no slot is left part-empty by calls that do not divide it.
 */
function slotsOf(ratePerSecond: number, maxPerCall: number): { perCall: number; slotMs: number } {
  const perCall = Math.max(1, Math.min(maxPerCall, Math.floor(ratePerSecond / 2)));
  return { perCall, slotMs: Math.ceil((1000 * perCall) / ratePerSecond) };
}

/**
 * A pace of `ratePerSecond` recipients for all the account's bulk senders together: each call reserves
 * room in the first half-second slot that has it (a DynamoDB item per slot, `RateLedger`) and waits for
 * that slot to begin. Two jobs at once share the rate instead of each taking it whole; one job alone gets
 * it whole. Reservations are made ahead and in order, so calls in flight at once each get their own slot.
 */
export class SharedRatePace implements SendPace {
  readonly perCall: number;
  /**
   * Four calls in flight: a notice's call is 50 SendEmails, which end when the slowest does, so a call
   * lasts longer than its slot; the reservations, not the calls in flight, keep the rate.
   */
  readonly callsInFlight = 4;
  /** A slot holds one call of `perCall`: half a second at 2/s or more, longer below (a sandbox's 1/s). */
  readonly slotMs: number;
  /**
   * What a slot holds in all, bulk and transactional mail together (`accountGrid`); by default one call
   * of `perCall` (bulk senders alone).
   */
  readonly slotCapacity: number;

  constructor(
    readonly ratePerSecond: number,
    private readonly ledger: RateLedger,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = sleepFor,
    /** The most one call can carry (SendBulkEmail: 50 destinations): a slot then holds exactly one call. */
    maxPerCall: number = SEND_BULK_MAX_DESTINATIONS,
    slotCapacity?: number,
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`A send rate must be positive, got ${ratePerSecond}`);
    ({ perCall: this.perCall, slotMs: this.slotMs } = slotsOf(ratePerSecond, maxPerCall));
    this.slotCapacity = Math.max(this.perCall, slotCapacity ?? this.perCall);
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
        // A reservation made ahead may never be awaited (the run stops first): its failure must not be an
        // unhandled rejection, which ends the process; the call that awaits it still sees it.
        this.tail.catch(() => undefined);
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
      const before = await this.ledger.reserve({ index, slotMs: this.slotMs }, recipients, { total: this.slotCapacity, bulk: this.perCall });
      if (before !== undefined) return { index, recipients };
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
/** The share all senders together use: bulk's, and transactional mail's reserve (20 %) on top. */
export const ACCOUNT_SHARE = 0.9;

/**
 * The account's slot grid at `maxSendRate`: the bulk pace's slots (`perCall` recipients of bulk mail
 * each, at `BULK_SHARE` of the rate), each holding `capacity` recipients in all, at `ACCOUNT_SHARE`.
 * Transactional mail takes what bulk mail leaves of a slot, and a slot's bulk room is kept for bulk
 * mail only as long as the total allows: answers come first, bulk mail takes the rest.
 */
export function accountGrid(maxSendRate: number): { perCall: number; slotMs: number; capacity: number } {
  const bulk = slotsOf(maxSendRate * BULK_SHARE, SEND_BULK_MAX_DESTINATIONS);
  return { perCall: bulk.perCall, slotMs: bulk.slotMs, capacity: Math.max(bulk.perCall, Math.floor((maxSendRate * ACCOUNT_SHARE * bulk.slotMs) / 1000)) };
}

export type SendQuota = { maxSendRate: number; max24HourSend: number; sentLast24Hours: number };

/** The account's sending quota (SES v2 GetAccount). */
export async function readSendQuota(client: SESv2Client): Promise<SendQuota> {
  const account = await client.send(new GetAccountCommand({}));
  const quota = account.SendQuota;
  if (!quota?.MaxSendRate || quota.Max24HourSend === undefined) throw new Error('GetAccount returned no SendQuota');
  return { maxSendRate: quota.MaxSendRate, max24HourSend: quota.Max24HourSend, sentLast24Hours: quota.SentLast24Hours ?? 0 };
}

/** The pace of one bulk job, from the account's quota read when the job starts, shared through `ledger`. */
export const bulkPace = (quota: SendQuota, ledger: RateLedger): SendPace =>
  new SharedRatePace(quota.maxSendRate * BULK_SHARE, ledger, undefined, undefined, undefined, accountGrid(quota.maxSendRate).capacity);

/** Transactional mail waits at most this long for room (its function's timeout is 30 s): past it, the record is received again later. */
const TRANSACTIONAL_LOOK_AHEAD_MS = 15_000;

type Waiting = { resolve: (at: number) => void; reject: (error: unknown) => void };

/**
 * The pace of transactional mail (one recipient a mail): each mail gets one place in the account's grid
 * (`accountGrid`), in the first slot with room, and is sent at its place's share of the slot, so the
 * answers of a rush of registrations reach SES evenly at the rate instead of in bursts SES throttles.
 * The mails of one instance that wait at once are placed together, a slot's worth per ledger write, each
 * batch starting where the last found room; the quota is read through `quota` (cached by the caller).
 */
export class TransactionalPace {
  private waiting: Waiting[] = [];
  private placing = false;
  /** The slot the last batch ended in, on its grid: slots before it are full or over (a new quota is a new grid). */
  private hint: { slotMs: number; index: number } | undefined;

  constructor(
    private readonly quota: () => Promise<SendQuota>,
    private readonly ledger: RateLedger,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = sleepFor,
  ) {}

  async take(): Promise<void> {
    const at = await new Promise<number>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      void this.placeWaiting();
    });
    const wait = at - this.now();
    if (wait > 0) await this.sleep(wait);
  }

  /** Places every mail waiting, batch after batch, until none waits; one batch at a time. */
  private async placeWaiting(): Promise<void> {
    if (this.placing) return;
    this.placing = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, this.waiting.length);
        try {
          const times = await this.place(batch.length);
          batch.forEach((mail, i) => mail.resolve(times[i]!));
        } catch (error) {
          for (const mail of batch) mail.reject(error);
        }
      }
    } finally {
      this.placing = false;
    }
  }

  /** Claims `count` places, slot after slot; answers the time each may be used. */
  private async place(count: number): Promise<number[]> {
    const { slotMs, capacity } = accountGrid((await this.quota()).maxSendRate);
    let index = Math.max(this.hint?.slotMs === slotMs ? this.hint.index : 0, Math.floor(this.now() / slotMs));
    const last = index + Math.ceil(TRANSACTIONAL_LOOK_AHEAD_MS / slotMs);
    const times: number[] = [];
    while (times.length < count) {
      if (index >= last) throw new Error(`No room to send a mail in the next ${TRANSACTIONAL_LOOK_AHEAD_MS / 1000} s: the account's rate is taken`);
      const wanted = Math.min(count - times.length, capacity);
      const before = await this.ledger.claim({ index, slotMs }, wanted);
      const granted = Math.max(0, Math.min(wanted, capacity - before));
      for (let i = 0; i < granted; i++) times.push(index * slotMs + Math.floor(((before + i) * slotMs) / capacity));
      if (granted < wanted) index++;
    }
    this.hint = { slotMs, index };
    return times;
  }
}

/** The share of the daily quota bulk mail may use: the rest stays for transactional mail. */
export const BULK_DAILY_SHARE = 0.9;

/** Recipients bulk mail may still reach today; at 0 it pauses, and resumes as the 24-hour window moves on. */
export const dailyAllowance = (quota: SendQuota): number => Math.max(0, Math.floor(quota.max24HourSend * BULK_DAILY_SHARE) - quota.sentLast24Hours);

/** Transactional mail, one recipient a mail, sent at its place in the account's rate (`TransactionalPace`). */
export class PacedMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly pace: Pick<TransactionalPace, 'take'>,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    await this.pace.take();
    return this.inner.send(mail);
  }
}

/**
 * The account's quota, read again once it is `maxAgeMs` old (a mail consumer sends many mails a second;
 * GetAccount is for a rate that changes rarely). A failed read is not kept: the next one tries again.
 */
export function cachedSendQuota(read: () => Promise<SendQuota>, maxAgeMs = 10_000, now: () => number = Date.now): () => Promise<SendQuota> {
  let cached: { at: number; quota: Promise<SendQuota> } | undefined;
  return () => {
    if (!cached || now() - cached.at >= maxAgeMs) {
      const quota = read();
      const entry = { at: now(), quota };
      cached = entry;
      quota.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.quota;
  };
}
