import { createHash, randomUUID } from 'node:crypto';
import { RegistrationConfirmed, RegistrationHeld } from '../../events/index.ts';
import type { Clock } from '../core/clock.ts';
import { ConcurrencyConflict, RequestError } from '../core/errors.ts';
import { t } from '../core/i18n/messages.ts';
import type { Language, Registration, Session } from '../core/model.ts';
import { outboxItem } from '../core/outbox.ts';
import type { RegistrationRequest } from './registration-request.ts';
import {
  EmailClaimed,
  RegistrationExists,
  SeatUnavailable,
  SubmissionExists,
  type RegistrationStore,
  type SessionOutcome,
  type SubmissionAnswer,
  type SubmissionPlan,
} from './registration-store.ts';

export type SubmitDeps = {
  store: RegistrationStore;
  clock: Clock;
  /** The hourly mail budget of the address (the answer mail is one); none for the manage link's additions. */
  mailBudget?: { take(address: string, now: Date): Promise<boolean> };
  /** Personal data expires this many days after the forum's last session (setting PERSONAL_DATA_DAYS). */
  personalDataDays: number;
  /**
   * Address confirmation (setting ADDRESS_CONFIRMATION on): new places are held this many minutes
   * (CONFIRM_WITHIN_MINUTES) until the address confirms them from the mail; absent, they are taken at once.
   */
  confirmation?: { holdMinutes: number };
  /** Pause before retry `attempt` (1-based); injected so unit tests do not wait. */
  backoff?: (attempt: number) => Promise<void>;
};

/** Same submission within this window gets the stored answer instead of a new registration. */
const SUBMISSION_MEMORY_HOURS = 24;
/**
 * Attempts of one submission. Every registration for a session writes that session's item in its
 * transaction, and DynamoDB cancels a transaction that meets another in flight on the same item
 * (TransactionConflict), so a rush on one session loses many races. With full-jitter backoff capped at
 * 1 s, 30 attempts wait about 13 s at most on average: inside the API's 29 s, and the rush has long drained
 * by then (the reliability suite's 1,000 at once for 100 seats).
 */
const MAX_ATTEMPTS = 30;

const jitteredBackoff = (attempt: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 20 * 2 ** attempt)));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A new participant whose address is not confirmed keeps its data this long after its hold expires (time
 * to confirm late and find the places released); DynamoDB TTL then deletes the profile typed by a stranger.
 */
const UNCONFIRMED_PROFILE_DAYS = 7;

/**
 * Stores a registrant's submission and answers, per session, confirmed, waitlisted (with position) or
 * pending approval. Everything (participant, registrations, seat counters, the stored answer and the
 * outbox event) is written in one transaction; lost races are re-planned and retried.
 *
 * With address confirmation, the new places are `held` (counted, so nobody else takes them) until the
 * address confirms them from the mail; the answer then says until when, gives no waiting-list positions,
 * and for sessions the address already has states what a newcomer would get: nothing in it tells a
 * stranger whether or how the address is registered. The mail, which only the owner reads, tells.
 *
 * Throws RequestError 422 for unknown sessions, 409 for sessions that ended or were cancelled, 409 when an
 * Idempotency-Key is reused for another payload, and ConcurrencyConflict after repeated lost races.
 */
export async function submitRegistration(
  deps: SubmitDeps,
  request: RegistrationRequest,
  options: { idempotencyKey?: string; lang: Language },
): Promise<SubmissionAnswer> {
  const { store, clock } = deps;
  const backoff = deps.backoff ?? jitteredBackoff;
  const sessionIds = [...request.sessionIds];
  const payloadHash = sha256(JSON.stringify({ ...request, email: request.email.toLowerCase(), sessionIds: [...sessionIds].sort() }));
  const submissionKey = options.idempotencyKey
    ? `key#${sha256(options.idempotencyKey)}`
    : `auto#${sha256(`${request.email.toLowerCase()}|${[...sessionIds].sort().join(',')}`)}`;

  // With address confirmation, only a client's own Idempotency-Key replays a stored answer: the automatic
  // key (address + sessions) would hand anyone who repeats the owner's submission the owner's answer, with
  // its earlier deadline, and no mail: a difference a stranger could see. Without a key, a repeated
  // submission is a new one (within the address's mail budget), for the owner and a stranger alike.
  const remembered = deps.confirmation && !options.idempotencyKey
    ? await staleOnly(store, submissionKey)
    : await storedAnswer(store, submissionKey, payloadHash, request.email, clock.now(), options.lang);
  if (remembered.answer) return remembered.answer;
  let supersedes = remembered.stale;
  // A new submission mails its address: within the address's hourly budget, or refused with nothing stored.
  if (deps.mailBudget && !(await deps.mailBudget.take(request.email, clock.now()))) {
    throw new RequestError(429, 'mail_budget', t(options.lang, 'error.mailBudget'));
  }

  const { sessions, forumEndsAt: forumEnd } = await store.getSessionsAndForumEnd(sessionIds);
  assertOpen(sessionIds, sessions, clock.now(), options.lang);
  const latestChosen = Math.max(...[...sessions.values()].map((s) => Date.parse(s.endsAt)));
  const personalDataExpiresAt = new Date(Math.max(forumEnd ? Date.parse(forumEnd) : 0, latestChosen) + deps.personalDataDays * 86_400_000);

  // Sessions found full in an earlier attempt go straight to the waiting list; reserved positions are kept.
  const knownFull = new Set<string>();
  const reserved = new Map<string, number>();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const now = clock.now();
    const existingId = await store.findParticipantIdByEmail(request.email);
    const participantId = existingId ?? randomUUID();
    const existing = existingId ? await store.getRegistrations(participantId, sessionIds) : [];
    const current = attempt === 1 ? sessions : await store.getSessions(sessionIds);
    // A session cancelled or ended while we retried is refused as such, not retried until we give up.
    if (attempt > 1) assertOpen(sessionIds, current, now, options.lang);

    const plan = await planSubmission({
      personalDataExpiresAt,
      request, participantId, isNewParticipant: !existingId, existing, sessions: current,
      knownFull, reserved, store, now, submissionKey, payloadHash, supersedes,
      ...(deps.confirmation ? { hold: { minutes: deps.confirmation.holdMinutes } } : {}),
    });
    try {
      await store.commitSubmission(plan);
      return plan.submission.answer;
    } catch (error) {
      if (error instanceof SubmissionExists) {
        const again = deps.confirmation && !options.idempotencyKey
          ? await staleOnly(store, submissionKey)
          : await storedAnswer(store, submissionKey, payloadHash, request.email, clock.now(), options.lang);
        if (again.answer) return again.answer;
        supersedes = again.stale;
      } else if (error instanceof SeatUnavailable) {
        knownFull.add(error.sessionId);
        continue; // re-plan at once: the session is full now, no need to wait
      } else if (!(error instanceof RegistrationExists || error instanceof EmailClaimed || error instanceof ConcurrencyConflict)) {
        throw error;
      }
      await backoff(attempt);
    }
  }
  throw new ConcurrencyConflict(`Submission still conflicting after ${MAX_ATTEMPTS} attempts`);
}

/**
 * The answer stored for the same submission, if it still tells the truth: remembered (24 h), its
 * participant still holds the address (after an erasure the address is free, and a new submission starts
 * a new participant), and every session it answered is still active for that participant (a session
 * cancelled since is registered again, not answered from memory). A stored answer that no longer holds is
 * returned as `stale` (its version), so the new submission replaces it.
 */
async function storedAnswer(
  store: RegistrationStore, key: string, payloadHash: string, email: string, now: Date, lang: Language,
): Promise<{ answer?: SubmissionAnswer; stale?: number }> {
  const stored = await store.getSubmission(key);
  if (!stored) return {};
  const stale = { stale: stored.version };
  if (Date.parse(stored.expiresAt) <= now.getTime()) return stale;
  if ((await store.findParticipantIdByEmail(email)) !== stored.participantId) return stale;
  if (stored.payloadHash !== payloadHash && key.startsWith('key#')) {
    throw new RequestError(409, 'idempotency_key_reused', t(lang, 'error.idempotencyMismatch'));
  }
  const sessionIds = stored.answer.sessions.map((s) => s.sessionId);
  const current = await store.getRegistrations(stored.participantId, sessionIds);
  if (current.length !== sessionIds.length || current.some((r) => !ACTIVE.has(r.status))) return stale;
  return { answer: stored.answer };
}

/** The version of a stored answer, to replace it, never to replay it. */
async function staleOnly(store: RegistrationStore, key: string): Promise<{ answer?: SubmissionAnswer; stale?: number }> {
  const stored = await store.getSubmission(key);
  return stored ? { stale: stored.version } : {};
}

function assertOpen(ids: string[], sessions: Map<string, Session>, now: Date, lang: Language): void {
  const unknown = ids.filter((id) => !sessions.has(id));
  if (unknown.length > 0) {
    const message = t(lang, 'error.unknownSessions', { sessionIds: unknown.join(', ') });
    throw new RequestError(422, 'unknown_sessions', message, [{ field: 'sessionIds', code: 'unknown_session', message }]);
  }
  const closed = ids.filter((id) => {
    const session = sessions.get(id)!;
    return session.status === 'cancelled' || Date.parse(session.endsAt) <= now.getTime();
  });
  if (closed.length > 0) {
    const message = t(lang, 'error.sessionClosed', { sessionIds: closed.join(', ') });
    throw new RequestError(409, 'sessions_closed', message, [{ field: 'sessionIds', code: 'session_closed', message }]);
  }
}

const ACTIVE: ReadonlySet<Registration['status']> = new Set(['confirmed', 'waitlisted', 'pending', 'offered', 'held']);

/** What a session gives a newcomer now: the same rule the commit's conditions enforce. */
function newcomerStatus(session: Session, knownFull: ReadonlySet<string>): SessionOutcome['status'] {
  if (session.restricted) return 'pending';
  return !knownFull.has(session.sessionId) && session.waitlistCount - session.waitlistHeld === 0 && session.seatsTaken < session.capacity ? 'confirmed' : 'waitlisted';
}

async function planSubmission(input: {
  personalDataExpiresAt: Date;
  request: RegistrationRequest;
  participantId: string;
  isNewParticipant: boolean;
  existing: Registration[];
  sessions: Map<string, Session>;
  knownFull: Set<string>;
  reserved: Map<string, number>;
  store: RegistrationStore;
  now: Date;
  submissionKey: string;
  payloadHash: string;
  /** The version of a stored answer that no longer holds, which this submission replaces. */
  supersedes: number | undefined;
  /** Address confirmation: hold the new places this long. */
  hold?: { minutes: number };
}): Promise<SubmissionPlan> {
  const { request, participantId, now, hold } = input;
  const stamp = now.toISOString();
  const existingBySession = new Map(input.existing.map((r) => [r.sessionId, r]));
  const outcomes: SessionOutcome[] = [];
  const registrations: SubmissionPlan['registrations'] = [];
  const holdId = randomUUID();
  const holdExpiresAt = hold ? new Date(now.getTime() + hold.minutes * 60_000).toISOString() : undefined;
  const heldSessions: Array<SessionOutcome & { already?: boolean; heldUntil?: string }> = [];
  const addToHolds: string[] = [];

  for (const sessionId of request.sessionIds) {
    const previous = existingBySession.get(sessionId);
    const session = input.sessions.get(sessionId)!;
    if (previous && ACTIVE.has(previous.status)) {
      // Already registered: never register twice. Without confirmation the answer reports where it stands;
      // with it, the answer says what a newcomer would get and only the mail tells the truth.
      if (!hold) {
        outcomes.push(outcomeOf(previous));
        continue;
      }
      outcomes.push({ sessionId, status: newcomerStatus(session, input.knownFull) });
      if (previous.status !== 'held') heldSessions.push({ ...outcomeOf(previous), already: true });
      else if (previous.holdExpiresAt && Date.parse(previous.holdExpiresAt) > now.getTime()) {
        // A place still held from an earlier submission is confirmed by this submission's mail as well, by
        // its own deadline (never extended: re-submitting must not keep a seat squatted). One whose hold
        // ended but is not swept yet (at most one sweep interval) is left to the sweep and not mentioned.
        heldSessions.push({ ...outcomeOf(previous), heldUntil: previous.holdExpiresAt });
        addToHolds.push(sessionId);
      }
      continue;
    }
    let outcome: SessionOutcome;
    const status = newcomerStatus(session, input.knownFull);
    if (status !== 'waitlisted') {
      outcome = { sessionId, status };
    } else {
      let position = input.reserved.get(sessionId);
      if (position === undefined) {
        position = await input.store.reserveWaitlistPosition(sessionId);
        input.reserved.set(sessionId, position);
      }
      outcome = { sessionId, status: 'waitlisted', waitlistPosition: position };
    }
    outcomes.push(hold ? { sessionId, status: outcome.status } : outcome);
    if (hold) heldSessions.push(outcome);
    registrations.push({
      participantId, sessionId, registeredAt: stamp, updatedAt: stamp,
      ...(hold
        ? { status: 'held', heldAs: outcome.status, holdExpiresAt, holdIds: new Set([holdId]), dataTtl: Math.floor(input.personalDataExpiresAt.getTime() / 1000) }
        : { status: outcome.status }),
      ...(outcome.waitlistPosition ? { waitlistPosition: outcome.waitlistPosition } : {}),
      ...(previous ? { replaces: previous.status } : {}),
    });
  }

  const answer: SubmissionAnswer = { sessions: outcomes, mailedTo: maskAddress(request.email), ...(holdExpiresAt ? { heldUntil: holdExpiresAt } : {}) };
  // Not the submission key: that hashes the address, and events outlive an erasure (7 days in the outbox).
  const submissionId = randomUUID();
  const fresh = outcomes.filter((o) => registrations.some((r) => r.sessionId === o.sessionId));
  // A profile created by this submission keeps its data only a short while past the hold; the held
  // registrations carry the expiry a confirmation gives.
  // An existing profile's expiry is never shortened (it may hold registrations made before, or without,
  // confirmation); the confirmation of these holds extends it.
  const profileExpiresAt = !hold
    ? input.personalDataExpiresAt
    : input.isNewParticipant
      ? new Date(Date.parse(holdExpiresAt!) + UNCONFIRMED_PROFILE_DAYS * 86_400_000)
      : undefined;
  return {
    participant: {
      participantId,
      name: request.name,
      email: request.email,
      organisation: request.organisation,
      stakeholderType: request.stakeholderType,
      country: request.country,
      language: request.language,
      timeZone: request.timeZone,
      createdAt: stamp,
    },
    isNewParticipant: input.isNewParticipant,
    ...(profileExpiresAt ? { personalDataExpiresAt: profileExpiresAt } : {}),
    registrations,
    addToHolds: addToHolds.map((sessionId) => ({ sessionId, holdId })),
    submission: {
      key: input.submissionKey,
      answer,
      participantId,
      version: input.supersedes === undefined ? 0 : input.supersedes + 1,
      ...(input.supersedes === undefined ? {} : { supersedes: input.supersedes }),
      payloadHash: input.payloadHash,
      expiresAt: new Date(now.getTime() + SUBMISSION_MEMORY_HOURS * 3_600_000).toISOString(),
    },
    outbox: hold
      ? [outboxItem(RegistrationHeld, { participantId, submissionId, holdId, holdExpiresAt: holdExpiresAt!, sessions: heldSessions }, now)]
      : fresh.length > 0
        ? [outboxItem(RegistrationConfirmed, { participantId, submissionId, sessions: fresh }, now)]
        : [],
  };
}

function outcomeOf(registration: Registration): SessionOutcome {
  const status = registration.status === 'offered' ? 'waitlisted' : registration.status === 'held' ? registration.heldAs! : (registration.status as SessionOutcome['status']);
  return {
    sessionId: registration.sessionId,
    status,
    ...(registration.waitlistPosition ? { waitlistPosition: registration.waitlistPosition } : {}),
  };
}

/**
 * An address as the answer may show it: the first character of the local part and the domain
 * (`a•••@example.org`), enough for its owner to recognise it, too little to harvest.
 */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}
