import { escapeHtml } from '../html.ts';
import type { Participant } from '../model.ts';
import type { StoredRegistration } from '../registration/lifecycle-store.ts';
import type { TokenSigner } from '../tokens.ts';
import { manageUrl } from '../registration/submit-registration.ts';
import type { Recipient } from './fan-out.ts';

/** Whether a participant may receive mail at all (erased and suppressed addresses never do). */
export function reachable(participant: Participant | undefined): participant is Participant {
  return Boolean(participant && !participant.erasedAt && !participant.suppressed && participant.email);
}

/**
 * The recipients of one fan-out job: registrations in the given statuses that the job has not reached
 * yet, whose participant can receive mail and passes `accept`. Each gets its name (plain and escaped for
 * HTML) and a personal manage link; `extra` adds job-specific per-recipient data.
 */
export function recipientsOf(input: {
  /** Participants the job has already reached (FanOutProgress.reached). */
  reached: ReadonlySet<string>;
  registrations: StoredRegistration[];
  participants: Map<string, Participant>;
  statuses: ReadonlySet<string>;
  tokens: TokenSigner;
  publicUrl: string;
  tokenExpiresAt: Date;
  accept?: (participant: Participant, registration: StoredRegistration) => boolean;
  extra?: (participant: Participant, links: { manageUrl: string; token: string }) => Partial<Pick<Recipient, 'headers'>> & { data?: Record<string, string> };
}): Recipient[] {
  const recipients: Recipient[] = [];
  for (const registration of input.registrations) {
    if (!input.statuses.has(registration.status) || input.reached.has(registration.participantId)) continue;
    const participant = input.participants.get(registration.participantId);
    if (!reachable(participant) || (input.accept && !input.accept(participant, registration))) continue;
    const token = input.tokens.sign(participant.participantId, input.tokenExpiresAt);
    const url = manageUrl(input.publicUrl, token);
    const extra = input.extra?.(participant, { manageUrl: url, token }) ?? {};
    recipients.push({
      participantId: participant.participantId,
      sessionId: registration.sessionId,
      email: participant.email,
      language: participant.language,
      data: { name: participant.name, nameHtml: escapeHtml(participant.name), manageUrl: url, manageUrlHtml: escapeHtml(url), ...extra.data },
      ...(extra.headers ? { headers: extra.headers } : {}),
    });
  }
  return recipients;
}
