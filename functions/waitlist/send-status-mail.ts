import {
  RegistrationApproved,
  RegistrationCancelled,
  RegistrationOfferExpired,
  RegistrationOfferMade,
  RegistrationPromoted,
  RegistrationRejected,
  type DetailOf,
} from '../../events/index.ts';
import type { ConsumedEvent } from '../core/consumer.ts';
import type { Mailer } from '../core/mail/mailer.ts';
import type { MailContext } from '../core/mail/mail-context.ts';
import { statusMail, type StatusMailKind } from './status-mail.ts';
import type { TokenSigner } from '../identity/tokens.ts';
import type { Clock } from '../core/clock.ts';
import type { MailDataReader } from '../core/mail/mail-context.ts';
import { manageUrl } from '../identity/links.ts';

export { registrantNoticeContracts as statusMailContracts } from '../../events/index.ts';

function changeOf(event: ConsumedEvent): StatusMailKind {
  switch (event.detailType) {
    case RegistrationCancelled.detailType: {
      const { previousStatus } = event.detail as DetailOf<typeof RegistrationCancelled>;
      return { kind: 'cancelled', heldSeat: previousStatus === 'confirmed' || previousStatus === 'offered' };
    }
    case RegistrationOfferMade.detailType:
      return { kind: 'offer', offerExpiresAt: (event.detail as DetailOf<typeof RegistrationOfferMade>).offerExpiresAt };
    case RegistrationOfferExpired.detailType:
      return { kind: 'offer-expired' };
    case RegistrationPromoted.detailType:
      return { kind: 'promoted' };
    case RegistrationApproved.detailType: {
      const { status, waitlistPosition } = event.detail as DetailOf<typeof RegistrationApproved>;
      return { kind: 'approved', status, ...(waitlistPosition ? { waitlistPosition } : {}) };
    }
    case RegistrationRejected.detailType:
      return { kind: 'rejected' };
    default:
      throw new Error(`No status mail for ${event.detailType}`);
  }
}

/**
 * Sends the one mail that tells a registrant what changed for one session. Participants who were
 * erased get nothing; cancellations caused by erasure are confirmed by the erasure mail instead.
 */
export async function sendStatusMail(
  deps: { reader: MailDataReader; mailer: Mailer; tokens: TokenSigner; clock: Clock; context: MailContext; tokenTtlDays: number },
  event: ConsumedEvent,
): Promise<{ sent: boolean; messageId?: string }> {
  const { participantId, sessionId } = event.detail as unknown as { participantId: string; sessionId: string };
  if (event.detailType === RegistrationCancelled.detailType && (event.detail as DetailOf<typeof RegistrationCancelled>).by === 'erasure') return { sent: false };
  const participant = await deps.reader.getParticipant(participantId);
  const session = (await deps.reader.getSessions([sessionId])).get(sessionId);
  if (!participant || !session || participant.erasedAt || participant.suppressed) return { sent: false };
  const expiresAt = new Date(deps.clock.now().getTime() + deps.tokenTtlDays * 86_400_000);
  const mail = statusMail({
    change: changeOf(event),
    participant,
    session,
    manageUrl: manageUrl(deps.context.publicUrl, deps.tokens.sign(participantId, expiresAt)),
    context: deps.context,
    at: new Date(event.detail.occurredAt),
  });
  const { messageId } = await deps.mailer.send(mail);
  return { sent: true, messageId };
}
