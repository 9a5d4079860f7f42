import type { DetailOf, RegistrationConfirmed, RegistrationHeld } from '../../events/index.ts';
import type { Clock } from '../core/clock.ts';
import type { Mailer } from '../core/mail/mailer.ts';
import { registrationMail } from './registration-mail.ts';
import type { MailContext, MailDataReader } from '../core/mail/mail-context.ts';
import type { TokenSigner } from '../identity/index.ts';
import { confirmUrl, manageUrl, signedFeedUrl } from '../identity/index.ts';
import { holdMail } from './hold-mail.ts';

export type SendRegistrationMailDeps = {
  reader: MailDataReader;
  mailer: Mailer;
  tokens: TokenSigner;
  clock: Clock;
  context: MailContext;
  tokenTtlDays: number;
};

/**
 * Sends the answer mail of one stored submission. Reads the participant at send time (events carry no
 * personal data), so an erased participant gets nothing. Errors escape: the bus retries, then dead-letters.
 */
export async function sendRegistrationMail(
  deps: SendRegistrationMailDeps,
  detail: DetailOf<typeof RegistrationConfirmed>,
): Promise<{ sent: boolean; messageId?: string }> {
  const participant = await deps.reader.getParticipant(detail.participantId);
  if (!participant || participant.erasedAt || participant.suppressed) return { sent: false };
  const sessions = await deps.reader.getSessions(detail.sessions.map((s) => s.sessionId));
  const outcomes = detail.sessions.map(({ sessionId, status, waitlistPosition }) => ({
    sessionId,
    status,
    ...(waitlistPosition ? { waitlistPosition } : {}),
  }));
  const expiresAt = new Date(deps.clock.now().getTime() + deps.tokenTtlDays * 86_400_000);
  const mail = registrationMail({
    participant,
    outcomes,
    sessions,
    manageUrl: manageUrl(deps.context.publicUrl, deps.tokens.sign({ purpose: 'manage', subject: participant.participantId, expiresAt, generation: participant.linkGeneration ?? 0 })),
    feedUrl: signedFeedUrl({ publicUrl: deps.context.publicUrl, tokens: deps.tokens, participantId: participant.participantId, issuedAt: deps.clock.now(), generation: participant.linkGeneration ?? 0 }),
    context: deps.context,
    at: new Date(detail.occurredAt),
  });
  const { messageId } = await deps.mailer.send(mail);
  return { sent: true, messageId };
}

/**
 * Sends the mail asking an address to confirm a submission's held places. Nothing when the participant
 * was erased or suppressed, or when the hold has ended before the mail could go (a late queue would only
 * send a link that confirms nothing).
 */
export async function sendHoldMail(
  deps: SendRegistrationMailDeps,
  detail: DetailOf<typeof RegistrationHeld>,
): Promise<{ sent: boolean; messageId?: string }> {
  const participant = await deps.reader.getParticipant(detail.participantId);
  if (!participant || participant.erasedAt || participant.suppressed) return { sent: false };
  if (Date.parse(detail.holdExpiresAt) <= deps.clock.now().getTime()) return { sent: false };
  const sessionsById = await deps.reader.getSessions(detail.sessions.map((s) => s.sessionId));
  const token = deps.tokens.sign({
    purpose: 'confirm',
    subject: participant.participantId,
    ref: detail.holdId,
    expiresAt: new Date(detail.holdExpiresAt),
    generation: participant.linkGeneration ?? 0,
  });
  const mail = holdMail({
    participant,
    sessions: detail.sessions,
    sessionsById,
    holdExpiresAt: detail.holdExpiresAt,
    confirmUrl: confirmUrl(deps.context.publicUrl, token),
    context: deps.context,
  });
  const { messageId } = await deps.mailer.send(mail);
  return { sent: true, messageId };
}
