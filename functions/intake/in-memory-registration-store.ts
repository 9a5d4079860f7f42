import { inMemorySession } from '../core/in-memory-session.ts';
import { ConcurrencyConflict } from '../core/errors.ts';
import type { Participant, Registration, Session } from '../core/model.ts';
import type { OutboxItem } from '../core/outbox.ts';
import {
  EmailClaimed,
  RegistrationExists,
  SeatUnavailable,
  SubmissionExists,
  type RegistrationStore,
  type StoredSubmission,
  type SubmissionPlan,
} from './registration-store.ts';

/**
 * An in-memory fake of the registration store for domain unit tests. It applies the same conditions as
 * the DynamoDB adapter, all-or-nothing, and can be told to lose the next N commits to a conflict.
 */
export class InMemoryRegistrationStore implements RegistrationStore {
  readonly sessions = new Map<string, Session>();
  readonly participants = new Map<string, Participant>();
  readonly emails = new Map<string, string>();
  readonly registrations = new Map<string, Registration>();
  readonly submissions = new Map<string, StoredSubmission>();
  readonly outbox: OutboxItem[] = [];
  conflictsToInject = 0;
  lastPlan: SubmissionPlan | undefined;
  commits = 0;

  addSession(session: Partial<Session> & Pick<Session, 'sessionId'>): void {
    this.sessions.set(session.sessionId, inMemorySession(session, { startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 90_000_000).toISOString() }));
  }

  async getSessions(ids: readonly string[]) {
    return new Map(ids.flatMap((id) => (this.sessions.has(id) ? [[id, structuredClone(this.sessions.get(id)!)] as const] : [])));
  }
  async getParticipant(participantId: string) {
    const found = this.participants.get(participantId);
    return found ? structuredClone(found) : undefined;
  }
  async findParticipantIdByEmail(email: string) {
    return this.emails.get(email.toLowerCase());
  }
  async getRegistrations(participantId: string, ids: readonly string[]) {
    return ids.flatMap((id) => {
      const registration = this.registrations.get(`${id}|${participantId}`);
      return registration ? [structuredClone(registration)] : [];
    });
  }
  forumEnd: string | undefined;
  async getSessionsAndForumEnd(ids: readonly string[]) {
    return { sessions: await this.getSessions(ids), forumEndsAt: this.forumEnd };
  }
  async getSubmission(key: string) {
    return this.submissions.get(key);
  }
  async reserveWaitlistPosition(sessionId: string) {
    const session = this.sessions.get(sessionId)!;
    session.waitlistSeq += 1;
    return session.waitlistSeq;
  }

  async commitSubmission(plan: SubmissionPlan): Promise<void> {
    if (this.conflictsToInject > 0) {
      this.conflictsToInject--;
      throw new ConcurrencyConflict('injected TransactionConflict');
    }
    const { participant } = plan;
    if (plan.isNewParticipant && this.participants.has(participant.participantId)) throw new ConcurrencyConflict('participant exists');
    if (!plan.isNewParticipant && (!this.participants.has(participant.participantId) || this.participants.get(participant.participantId)!.erasedAt)) {
      throw new ConcurrencyConflict('participant gone');
    }
    const owner = this.emails.get(participant.email.toLowerCase());
    if (owner && owner !== participant.participantId) throw new EmailClaimed();
    for (const registration of plan.registrations) {
      const session = this.sessions.get(registration.sessionId)!;
      if (session.status !== 'scheduled') throw new SeatUnavailable(session.sessionId);
      const counted = registration.heldAs ?? registration.status;
      if (counted === 'confirmed' && !(session.seatsTaken < session.capacity && session.waitlistCount - session.waitlistHeld === 0)) {
        throw new SeatUnavailable(session.sessionId);
      }
      const existing = this.registrations.get(`${registration.sessionId}|${registration.participantId}`);
      if (registration.replaces ? existing?.status !== registration.replaces : existing) throw new RegistrationExists(registration.sessionId);
    }
    for (const { sessionId } of plan.addToHolds) {
      if (this.registrations.get(`${sessionId}|${participant.participantId}`)?.status !== 'held') throw new RegistrationExists(sessionId);
    }
    const remembered = this.submissions.get(plan.submission.key);
    if (remembered && remembered.version !== plan.submission.supersedes) throw new SubmissionExists(plan.submission.key);
    if (!remembered && plan.submission.supersedes !== undefined) throw new SubmissionExists(plan.submission.key);

    this.commits++;
    this.lastPlan = plan;
    // As in DynamoDB: a submission for an existing participant never changes the profile.
    if (plan.isNewParticipant) this.participants.set(participant.participantId, participant);
    this.emails.set(participant.email.toLowerCase(), participant.participantId);
    for (const { replaces: _replaces, ...registration } of plan.registrations) {
      const session = this.sessions.get(registration.sessionId)!;
      const counted = registration.heldAs ?? registration.status;
      if (counted === 'confirmed') session.seatsTaken++;
      else if (counted === 'waitlisted') session.waitlistCount++;
      else session.pendingCount++;
      if (registration.status === 'held') session[counted === 'confirmed' ? 'seatsHeld' : counted === 'waitlisted' ? 'waitlistHeld' : 'pendingHeld']++;
      this.registrations.set(`${registration.sessionId}|${registration.participantId}`, registration);
    }
    for (const { sessionId, holdId } of plan.addToHolds) this.registrations.get(`${sessionId}|${participant.participantId}`)!.holdIds!.add(holdId);
    const { key, supersedes: _supersedes, ...stored } = plan.submission;
    this.submissions.set(key, stored);
    this.outbox.push(...plan.outbox);
  }
}
