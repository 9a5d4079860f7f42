import {
  RegistrationApproved,
  RegistrationCancelled,
  RegistrationOfferExpired,
  RegistrationOfferMade,
  RegistrationPromoted,
  RegistrationRejected,
  registrantNoticeContracts,
} from '../../events/index.ts';
import type { ConsumedEvent } from '../core/consumer.ts';
import type { Mailer } from '../core/mail/mailer.ts';
import type { MailContext } from '../core/mail/mail-context.ts';
import { statusMail, type StatusMailKind } from './status-mail.ts';
import type { TokenSigner } from '../identity/index.ts';
import type { Clock } from '../core/clock.ts';
import type { MailDataReader } from '../core/mail/mail-context.ts';
import { manageUrl, signedFeedUrl } from '../identity/index.ts';

export { registrantNoticeContracts as statusMailContracts } from '../../events/index.ts';

/** The events this consumer mails about, with their contract-inferred details. */
export type StatusEvent = ConsumedEvent<(typeof registrantNoticeContracts)[number]>;

function changeOf(event: StatusEvent): StatusMailKind {
  switch (event.detailType) {
    case RegistrationCancelled.detailType: {
      const { previousStatus } = event.detail;
      // Only a confirmed seat had a calendar entry to remove; a declined offer leaves the line, as a place does.
      return { kind: 'cancelled', heldSeat: previousStatus === 'confirmed' };
    }
    case RegistrationOfferMade.detailType:
      return { kind: 'offer', offerExpiresAt: event.detail.offerExpiresAt };
    case RegistrationOfferExpired.detailType:
      return { kind: 'offer-expired' };
    case RegistrationPromoted.detailType:
      return { kind: 'promoted' };
    case RegistrationApproved.detailType: {
      const { status, waitlistPosition } = event.detail;
      return { kind: 'approved', status, ...(waitlistPosition ? { waitlistPosition } : {}) };
    }
    case RegistrationRejected.detailType:
      return { kind: 'rejected' };
  }
}

/**
 * Sends the one mail that tells a registrant what changed for one session. Participants who were
 * erased get nothing; cancellations caused by erasure are confirmed by the erasure mail instead.
 */
export async function sendStatusMail(
  deps: { reader: MailDataReader; mailer: Mailer; tokens: TokenSigner; clock: Clock; context: MailContext; tokenTtlDays: number },
  event: StatusEvent,
): Promise<{ sent: boolean; messageId?: string }> {
  const { participantId, sessionId } = event.detail;
  if (event.detailType === RegistrationCancelled.detailType && event.detail.by === 'erasure') return { sent: false };
  const participant = await deps.reader.getParticipant(participantId);
  const session = (await deps.reader.getSessions([sessionId])).get(sessionId);
  if (!participant || !session || participant.erasedAt || participant.suppressed) return { sent: false };
  const expiresAt = new Date(deps.clock.now().getTime() + deps.tokenTtlDays * 86_400_000);
  const mail = statusMail({
    change: changeOf(event),
    participant,
    session,
    manageUrl: manageUrl(deps.context.publicUrl, deps.tokens.sign({ purpose: 'manage', subject: participantId, expiresAt, generation: participant.linkGeneration ?? 0 })),
    feedUrl: signedFeedUrl({ publicUrl: deps.context.publicUrl, tokens: deps.tokens, participantId, issuedAt: deps.clock.now(), generation: participant.linkGeneration ?? 0 }),
    context: deps.context,
    at: new Date(event.detail.occurredAt),
  });
  const { messageId } = await deps.mailer.send(mail);
  return { sent: true, messageId };
}
