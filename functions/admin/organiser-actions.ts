import { RequestError } from '../core/errors.ts';
import type { Participant, Session, StoredRegistration } from '../core/model.ts';
import type { BulkFailure, MailRecord } from '../delivery/index.ts';
import { eraseParticipant, type EraseDeps } from '../registrant/index.ts';
import { registrationsCsv } from './export-registrations.ts';

/** The session's registrations as CSV (erased participants without personal data); 404 for an unknown session. */
export async function sessionRegistrationsCsv(
  deps: {
    sessions: { getSession(sessionId: string): Promise<Session | undefined> };
    registrations: { listSessionRegistrations(sessionId: string): Promise<StoredRegistration[]> };
    participants: { getParticipants(participantIds: readonly string[]): Promise<Map<string, Participant>> };
  },
  sessionId: string,
): Promise<string> {
  if (!(await deps.sessions.getSession(sessionId))) throw new RequestError(404, 'unknown_session', `Unknown session ${sessionId}.`);
  const registrations = await deps.registrations.listSessionRegistrations(sessionId);
  return registrationsCsv(registrations, await deps.participants.getParticipants(registrations.map((r) => r.participantId)));
}

/** Every mail logged for a session with its delivery status, and the count per status. */
export async function sessionDeliveries(
  deps: { mails: { forSession(sessionId: string): Promise<MailRecord[]>; failuresForSession(sessionId: string): Promise<BulkFailure[]> } },
  sessionId: string,
) {
  const [mails, failures] = await Promise.all([deps.mails.forSession(sessionId), deps.mails.failuresForSession(sessionId)]);
  const counts = mails.reduce<Record<string, number>>((acc, r) => ((acc[r.status] = (acc[r.status] ?? 0) + 1), acc), {});
  // Recipients a notice or reminder failed for good (SES refused them permanently, or they were given up
  // after ten runs over six hours): no mail, so they are listed apart, each with SES's reason. A failure
  // is stale once a later mail of the same kind reached that participant (a later notice, the next
  // reminder): it is no longer listed.
  const reached = new Set(['sent', 'delivered']);
  const reachedLater = (failure: BulkFailure) => mails.some((mail) => mail.participantId === failure.participantId && mail.kind === failure.kind && mail.sentAt > failure.failedAt && reached.has(mail.status));
  const failed = failures.filter((failure) => !reachedLater(failure));
  if (failed.length > 0) counts.failed = failed.length;
  return { sessionId, counts, mails, failed };
}

/** Organisers erase a registrant by address (a request received by other means); 404 if nobody has it. */
export async function eraseByEmail(deps: EraseDeps & { directory: { findParticipantIdByEmail(email: string): Promise<string | undefined> } }, email: string) {
  const participantId = await deps.directory.findParticipantIdByEmail(email);
  if (!participantId) throw new RequestError(404, 'not_found', 'No participant with this email.');
  return { participantId, ...(await eraseParticipant(deps, participantId)) };
}
