import * as z from 'zod';
import type { OutboxItem } from '../core/outbox.ts';
import type { Participant, Registration, Session } from '../core/model.ts';

const sessionOutcome = z.object({
  sessionId: z.string(),
  status: z.enum(['confirmed', 'waitlisted', 'pending']),
  waitlistPosition: z.number().int().positive().optional(),
});
export type SessionOutcome = z.infer<typeof sessionOutcome>;

/**
 * The answer to a submission, stored so that the same submission sent again gets the same answer. It
 * never carries a manage link, a token or a participant id: those reach only the address's owner, by
 * mail. `mailedTo` is the address, masked (`a•••@example.org`).
 */
const submissionAnswer = z.object({
  sessions: z.array(sessionOutcome),
  mailedTo: z.string(),
  /**
   * With address confirmation: the places are held until then, for the address to confirm from the mail
   * (each session's status is what its place becomes, without a waiting-list position).
   */
  heldUntil: z.string().optional(),
});
export type SubmissionAnswer = z.infer<typeof submissionAnswer>;

/** A stored submission item as read back (key attributes dropped); the participant id stays inside. */
export const storedSubmission = z.object({
  answer: submissionAnswer,
  payloadHash: z.string(),
  expiresAt: z.string(),
  participantId: z.string(),
  /** Raised each time a stale answer is replaced; the replacing write is conditioned on it. */
  version: z.number().int().default(0),
});
export type StoredSubmission = z.infer<typeof storedSubmission>;

/** Everything one submission writes, committed atomically or not at all. */
export type SubmissionPlan = {
  participant: Participant;
  /**
   * When the participant's personal data expires (DynamoDB TTL): a set time after the forum ends, or soon
   * after the hold for a profile this submission creates; absent, an existing profile's expiry is left alone.
   */
  personalDataExpiresAt?: Date;
  isNewParticipant: boolean;
  /**
   * New registrations, `held` ones with address confirmation; `replaces` is set when a cancelled or
   * rejected registration is taken up again.
   */
  registrations: Array<Registration & { status: SessionOutcome['status'] | 'held'; replaces?: Registration['status'] }>;
  /** Places still held from an earlier submission that this submission's confirm link confirms too. */
  addToHolds: Array<{ sessionId: string; holdId: string }>;
  /** The answer to store; `supersedes` names the version of a stale stored answer it replaces. */
  submission: { key: string; supersedes?: number } & StoredSubmission;
  outbox: OutboxItem[];
};

/** Why a commit was refused; the domain re-plans for each. */
export class SeatUnavailable extends Error {
  constructor(readonly sessionId: string) {
    super(`No seat left in ${sessionId}`);
    this.name = 'SeatUnavailable';
  }
}
export class SubmissionExists extends Error {
  constructor(readonly key: string) {
    super('Submission already stored');
    this.name = 'SubmissionExists';
  }
}
export class RegistrationExists extends Error {
  constructor(readonly sessionId: string) {
    super(`Already registered for ${sessionId}`);
    this.name = 'RegistrationExists';
  }
}
export class EmailClaimed extends Error {
  constructor() {
    super('Email belongs to another participant');
    this.name = 'EmailClaimed';
  }
}

/** The storage port of registration intake. The DynamoDB adapter enforces every rule with conditions. */
export interface RegistrationStore {
  getSessions(sessionIds: readonly string[]): Promise<Map<string, Session>>;
  findParticipantIdByEmail(email: string): Promise<string | undefined>;
  getRegistrations(participantId: string, sessionIds: readonly string[]): Promise<Registration[]>;
  getSubmission(key: string): Promise<StoredSubmission | undefined>;
  /**
   * The sessions and the end of the forum's last session (ISO, if the programme has one), in one read.
   * The end is read on every submission, never cached: a stale value would set an expiry before the
   * forum's end when organisers have just added a later session.
   */
  getSessionsAndForumEnd(sessionIds: readonly string[]): Promise<{ sessions: Map<string, Session>; forumEndsAt: string | undefined }>;
  /** Hands out the next waiting-list position of a session; positions are unique, gaps are harmless. */
  reserveWaitlistPosition(sessionId: string): Promise<number>;
  /**
   * Writes the plan in one transaction. Throws SeatUnavailable, SubmissionExists, RegistrationExists,
   * EmailClaimed or ConcurrencyConflict; writes nothing in each of those cases.
   */
  commitSubmission(plan: SubmissionPlan): Promise<void>;
}
