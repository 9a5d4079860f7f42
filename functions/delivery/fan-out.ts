import type { Language } from '../core/model.ts';
import type { BulkMailer, BulkSend } from '../core/mail/bulk-mailer.ts';
import { unpaced, type SendPace } from './send-pace.ts';

export type Recipient = {
  participantId: string;
  sessionId: string;
  email: string;
  language: Language;
  /** Per-destination template data (already HTML-escaped where it goes into HTML). */
  data: Record<string, string>;
  headers?: Array<{ name: string; value: string }>;
  /** Whether this recipient's message carries the job's calendar invitation (they hold a seat). */
  invite?: boolean;
};

/** One message a call delivered to SES. */
export type SentMessage = { participantId: string; messageId: string };

/**
 * Where progress is recorded: a recipient a job has reached is never mailed for that job again. One
 * record per SendBulkEmail call (up to 50 recipients with their message ids), not one per recipient: it
 * is also the log of the bulk mails sent, which delivery events, the deliveries list and exports read.
 */
export interface FanOutProgress {
  /** Records that one call of a job reached these recipients of the session. */
  markSent(call: { jobKey: string; kind: string; sessionId: string }, sent: ReadonlyArray<SentMessage>, at: Date): Promise<void>;
  /** The participants of a session that a job has already reached. */
  reached(sessionId: string, jobKey: string): Promise<Set<string>>;
  /** Records that these recipients were still refused for themselves (not for the account) when a run ended. */
  markRefused(call: { jobKey: string; kind: string; sessionId: string }, participantIds: readonly string[], at: Date, mark?: { gaveUp: true }): Promise<void>;
  /** For each participant, how many runs of the job ended with them refused (markRefused), since when, and whether a run gave them up. */
  refusedRuns(sessionId: string, jobKey: string): Promise<Map<string, { runs: number; since: Date; gaveUp?: boolean }>>;
  /** Records the recipients a run failed for good (a permanent SES status, or given up), for the deliveries list. */
  markFailed(call: { jobKey: string; kind: string; sessionId: string }, failed: ReadonlyArray<FailedRecipient>, at: Date): Promise<void>;
}

/** A recipient a fan-out failed for good, and why (SES's status and message, or `GAVE_UP: …`). */
export type FailedRecipient = { participantId: string; error: string };

/**
 * A recipient that SES keeps refusing for themselves (a retryable per-entry status such as FAILED, still
 * refused after the run's last retry) is given up once MAX_REFUSED_RUNS runs of the job ended so and the
 * first of them is GIVE_UP_AFTER_MS old: counted as failed for good, so the job completes instead of being
 * retried every run forever. The time span keeps an SES incident of minutes or hours, which refuses
 * everyone, from giving up a whole notice. Refusals for the account (throttling, the daily quota, sending
 * paused) never count: they say nothing about the recipient.
 */
export const MAX_REFUSED_RUNS = 10;
export const GIVE_UP_AFTER_MS = 6 * 3_600_000;

export type RefusedRun = { participantIds: readonly string[]; at: string; gaveUp?: boolean };

/** Folds the refusal records of a job (markRefused) into each participant's count, first time and give-up mark. */
export function foldRefusals(records: Iterable<RefusedRun>): Map<string, { runs: number; since: Date; gaveUp?: boolean }> {
  const out = new Map<string, { runs: number; since: Date; gaveUp?: boolean }>();
  for (const record of records) {
    const at = new Date(record.at);
    for (const id of new Set(record.participantIds)) {
      const seen = out.get(id) ?? { runs: 0, since: at };
      out.set(id, { runs: seen.runs + 1, since: at < seen.since ? at : seen.since, ...(seen.gaveUp || record.gaveUp ? { gaveUp: true } : {}) });
    }
  }
  return out;
}

/** Per-entry refusals that concern the account, not the recipient. */
const accountRefusal = (error: string) => error.startsWith('ACCOUNT_');

export type FanOutResult = {
  sent: number;
  calls: number;
  /** Recipients refused for good (SES said so for them): organisers see them in `deliveries`. */
  failed: FailedRecipient[];
  /** Recipients still to reach: refused for now (throttled, transient) after every retry of this run. */
  unreached: number;
  /** Entries SES refused because the account was at its send rate (each retry counts again). */
  throttled: number;
  /** Every recipient reached or failed for good; otherwise the next run resumes where this one stopped. */
  complete: boolean;
  /** Why the run stopped early, if it did. */
  stopped?: 'deadline' | 'daily-quota';
};

export type FanOutDeps = {
  mailer: BulkMailer;
  progress: FanOutProgress;
  clock: { now(): Date };
  /** Pause between retries; injected so tests need not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries of a throttled or failed call, and rounds of retrying failed entries. */
  maxRetries?: number;
  /** The sender's share of the account's rate; none: unpaced. */
  pace?: SendPace;
  /** Recipients the account's daily quota still allows bulk mail, shared by every job of a run (each call takes from it); none: no limit. */
  allowance?: { left: number };
  /** True when the run must stop starting calls (its function's timeout is near); the next run resumes. */
  shouldStop?: () => boolean;
};

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isThrottleOrServerError(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e?.$metadata?.httpStatusCode ?? 0;
  return status === 429 || status >= 500 || /Throttl|TooManyRequests|LimitExceeded|ServiceUnavailable|InternalFailure/i.test(e?.name ?? '');
}

/**
 * Sends one job (a notice, a reminder) to many recipients: grouped by language, at most `maxEntries`
 * destinations per SendBulkEmail (fewer when the pace allows fewer per second), calls spaced to the
 * sender's share of the account's rate, retried with exponential back-off on throttling and 5xx, failed
 * entries retried, and progress recorded after every call, so a fan-out that stops half way resumes
 * without mailing anyone twice. A run stops cleanly (complete: false) when `shouldStop` says its time is
 * up or the daily allowance is spent; recipients still refused for now after the retries stay unreached,
 * never counted as failed, and the next run resumes them. Recipients may come page by page: a language's call goes out as soon as it has
 * `maxEntries` recipients, so mailing starts after the first page is read, not after the last, and each
 * language still ends with at most one partial call. Throws when a call keeps failing: the schedule's
 * next run resumes.
 */
export async function fanOut(
  deps: FanOutDeps,
  job: {
    key: string;
    /** What kind of mail this is, for its tags and the mail log ('notice', 'reminder'). */
    kind: string;
    recipients: Recipient[] | AsyncIterable<Recipient[]>;
    content: (lang: Language) => Omit<BulkSend, 'entries'>;
  },
): Promise<FanOutResult> {
  const sleep = deps.sleep ?? sleepFor;
  const maxRetries = deps.maxRetries ?? 6;
  const pace = deps.pace ?? unpaced;
  const max = Math.min(deps.mailer.maxEntries, pace.perCall);
  const allowance = deps.allowance ?? { left: Number.POSITIVE_INFINITY };
  const result: FanOutResult = { sent: 0, calls: 0, failed: [], unreached: 0, throttled: 0, complete: false };
  /** False once the run must stop: no call starts after that. */
  const mayCall = (recipients: number): boolean => {
    if (result.stopped) return false;
    if (deps.shouldStop?.()) result.stopped = 'deadline';
    else if (allowance.left < recipients) result.stopped = 'daily-quota';
    return !result.stopped;
  };
  // Progress records form one chain, so they are written in call order and a failed one is seen; a call's
  // recipients are recorded even when an earlier record failed, and then the run stops.
  let bookkeeping: Promise<void> = Promise.resolve();
  let recordError: unknown;
  /** The first failure of a call, seen by the next launch or settle even after the call left `inFlight`. */
  let callError: unknown;
  /** Calls in flight: at most `pace.callsInFlight`, so the pace, not one call's latency, sets the rate. */
  const inFlight = new Set<Promise<void>>();
  const launch = async (lang: Language, chunk: Recipient[], round: number): Promise<void> => {
    while (inFlight.size >= pace.callsInFlight) await Promise.race(inFlight).catch(() => undefined);
    if (callError !== undefined) throw callError;
    if (recordError !== undefined) throw recordError;
    const call: Promise<void> = sendCall(lang, chunk, round).finally(() => inFlight.delete(call));
    // A failure is kept and thrown by the next launch or settle, even once the call has left `inFlight`.
    call.catch((error: unknown) => {
      callError ??= error;
    });
    inFlight.add(call);
  };
  /** Waits for every call in flight; the first failure of any call of the run is thrown. */
  const settle = async (): Promise<void> => {
    await Promise.allSettled([...inFlight]);
    if (callError !== undefined) throw callError;
  };
  const contents = new Map<Language, Omit<BulkSend, 'entries'>>();
  const contentOf = (lang: Language) => contents.get(lang) ?? contents.set(lang, job.content(lang)).get(lang)!;
  /** Entries that failed in a way worth another try, per language, for the next round. */
  let retry = new Map<Language, Recipient[]>();

  /** A job's recipients are all of one session (its calls are tagged with it). */
  let session: string | undefined;
  /** How many earlier runs ended with each recipient refused (read with the first recipient). */
  let refusedBefore: Map<string, { runs: number; since: Date; gaveUp?: boolean }> | undefined;
  /** Recipients refused for themselves after every retry of this run. */
  const refusedNow: string[] = [];
  /** Recipients this run gave up. */
  const gaveUpNow: string[] = [];
  try {
    const buffers = new Map<Language, Recipient[]>();
    for await (const page of Array.isArray(job.recipients) ? [job.recipients] : job.recipients) {
      for (const recipient of page) {
        if (recipient.sessionId !== (session ??= recipient.sessionId)) throw new Error(`fan-out job ${job.key} mixes sessions`);
        refusedBefore ??= await deps.progress.refusedRuns(session, job.key);
        const refusals = refusedBefore.get(recipient.participantId);
        if (refusals && refusals.runs >= MAX_REFUSED_RUNS && deps.clock.now().getTime() - refusals.since.getTime() >= GIVE_UP_AFTER_MS) {
          // Given up once: reported as failed in the run that gives up, which records a refusal more with
          // the mark GAVE_UP, so that later runs of the job (still resuming others) skip them silently.
          if (refusals.gaveUp) continue;
          result.failed.push({ participantId: recipient.participantId, error: `GAVE_UP: refused in ${refusals.runs} runs` });
          gaveUpNow.push(recipient.participantId);
          continue;
        }
        const buffer = buffers.get(recipient.language) ?? [];
        buffer.push(recipient);
        buffers.set(recipient.language, buffer);
        if (buffer.length === max) {
          buffers.delete(recipient.language);
          if (!mayCall(buffer.length)) break;
          await launch(recipient.language, buffer, 0);
        }
      }
      if (result.stopped) break;
    }
    for (const [lang, buffer] of buffers) if (mayCall(buffer.length)) await launch(lang, buffer, 0);
    await settle();
    for (let round = 1; retry.size > 0 && !result.stopped; round++) {
      await sleep(Math.min(30_000, 200 * 2 ** (round - 1)));
      const pending = retry;
      retry = new Map();
      for (const [lang, group] of pending) {
        for (let start = 0; start < group.length; start += max) {
          const chunk = group.slice(start, start + max);
          if (!mayCall(chunk.length)) {
            result.unreached += group.length - start;
            break;
          }
          await launch(lang, chunk, round);
        }
      }
      await settle();
    }
    for (const group of retry.values()) result.unreached += group.length;
  } catch (error) {
    // Calls in flight and the progress of calls that succeeded may still be pending: let them finish and
    // be recorded before giving up, or the resumed run would mail those recipients again.
    await Promise.allSettled([...inFlight]);
    await bookkeeping.catch(() => undefined);
    throw error;
  }
  await bookkeeping;
  if (session && refusedNow.length > 0) await deps.progress.markRefused({ jobKey: job.key, kind: job.kind, sessionId: session }, refusedNow, deps.clock.now());
  // Organisers see who a notice or reminder never reached, and why, in the session's deliveries. Written
  // before the give-up mark: a run that stops between the two gives them up again (listed twice at worst),
  // never marks them given up without listing them (later runs skip a given-up recipient silently).
  if (session && result.failed.length > 0) await deps.progress.markFailed({ jobKey: job.key, kind: job.kind, sessionId: session }, result.failed, deps.clock.now());
  if (session && gaveUpNow.length > 0) await deps.progress.markRefused({ jobKey: job.key, kind: job.kind, sessionId: session }, gaveUpNow, deps.clock.now(), { gaveUp: true });
  result.complete = !result.stopped && result.unreached === 0;
  return result;

  async function sendCall(lang: Language, chunk: Recipient[], round: number): Promise<void> {
    const content = contentOf(lang);
    allowance.left -= chunk.length;
    const outcomes = await callWithBackoff(async () => {
      await pace.take(chunk.length);
      result.calls++;
      return deps.mailer.sendBulk({
        ...content,
        lang,
        // Every message names its kind, session and participant, so its delivery events find it.
        tags: { ...content.tags, kind: job.kind, session: chunk[0]!.sessionId },
        entries: chunk.map((r) => ({ to: r.email, data: r.data, tags: { participant: r.participantId }, ...(r.headers ? { headers: r.headers } : {}), ...(r.invite ? { invite: true } : {}) })),
      });
    });
    const sent = chunk.flatMap((recipient, index) => {
      const outcome = outcomes[index];
      return outcome?.ok ? [{ participantId: recipient.participantId, messageId: outcome.messageId }] : [];
    });
    if (sent.length) {
      // Recording this call overlaps the next calls; records are written one after another, and a crash
      // forgets the progress of the calls in flight and of the record being written (at most
      // `callsInFlight` + 1 calls): those recipients would be mailed again on resume.
      const record = () => deps.progress.markSent({ jobKey: job.key, kind: job.kind, sessionId: chunk[0]!.sessionId }, sent, deps.clock.now());
      const previous = bookkeeping;
      bookkeeping = previous.then(record, async (error: unknown) => {
        // An earlier record failed: this call's recipients are mailed, so record them before stopping.
        await record();
        throw error;
      });
      // Observed by the next launch and at the end; until then a failure must not count as unhandled.
      bookkeeping.catch((error: unknown) => {
        recordError ??= error;
      });
      // Back-pressure: a call ends only once the record before its own is written, so unrecorded progress
      // never piles up behind a slow table; a failed one stops the run here.
      try {
        await previous;
      } catch (error) {
        recordError ??= error;
        throw error;
      }
    }
    result.sent += sent.length;
    chunk.forEach((recipient, index) => {
      const outcome = outcomes[index];
      if (!outcome || outcome.ok) return;
      if (outcome.error.startsWith('ACCOUNT_THROTTLED')) result.throttled++;
      if (outcome.retryable && round < maxRetries) {
        const again = retry.get(lang) ?? [];
        again.push(recipient);
        retry.set(lang, again);
      } else if (outcome.retryable) {
        result.unreached++;
        if (!accountRefusal(outcome.error)) refusedNow.push(recipient.participantId);
      } else result.failed.push({ participantId: recipient.participantId, error: outcome.error });
    });
  }

  async function callWithBackoff<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isThrottleOrServerError(error) || attempt >= maxRetries) throw error;
        await sleep(Math.min(30_000, 100 * 2 ** attempt * (0.5 + Math.random() / 2)));
      }
    }
  }
}
