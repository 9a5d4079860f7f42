import { html } from '../core/html.ts';
import { t, type MailMessageKey } from '../core/i18n/mail-messages.ts';
import type { Participant, Session } from '../core/model.ts';
import { pickText } from '../core/model.ts';
import { formatInstant } from '../core/time-format.ts';
import { sessionInvite } from '../core/mail/calendar.ts';
import { mailLayout } from '../core/mail/layout.ts';
import type { OutgoingMail } from '../core/mail/mailer.ts';
import { feedParagraph, joinLink, organiserOf, sessionTimes, type MailContext } from '../core/mail/mail-context.ts';

export type StatusMailKind =
  | { kind: 'cancelled'; heldSeat: boolean }
  | { kind: 'offer'; offerExpiresAt: string }
  | { kind: 'offer-expired' }
  | { kind: 'promoted' }
  | { kind: 'approved'; status: 'confirmed' | 'waitlisted'; waitlistPosition?: number }
  | { kind: 'rejected' };

type Parts = { subject: MailMessageKey; paragraphs: string[]; invite?: 'request' | 'cancel'; button?: { label: string; href: string } };

/** The changes that grant a seat: their mail gives the join link and the calendar feed. */
const grantsSeat = (parts: Parts) => parts.invite === 'request';

/**
 * One mail about one session's registration changing: cancelled, offered, offer expired, promoted,
 * approved or rejected. In the registrant's language, times in their zone and the forum's; a confirmed
 * seat carries a METHOD:REQUEST invite, the join link and the calendar feed, a cancelled seat
 * METHOD:CANCEL for the same UID. A place in line, an offer or a request never had a calendar entry, so
 * their mails carry none.
 */
export function statusMail(input: {
  change: StatusMailKind;
  participant: Participant;
  session: Session;
  manageUrl: string;
  /** The registrant's calendar feed, offered with a seat. */
  feedUrl: string;
  context: MailContext;
  /** When the change happened (the event's occurredAt): the invitation's SEQUENCE. */
  at: Date;
}): OutgoingMail {
  const { change, participant, session, context } = input;
  const lang = participant.language;
  const parts = ((): Parts => {
    switch (change.kind) {
      case 'cancelled':
        return change.heldSeat
          ? { subject: 'mail.cancelled.subject', paragraphs: [t(lang, 'mail.cancelled.seat')], invite: 'cancel' }
          : { subject: 'mail.cancelled.subject', paragraphs: [t(lang, 'mail.cancelled.place')] };
      case 'offer': {
        const until = formatInstant(change.offerExpiresAt, participant.timeZone, lang);
        return {
          subject: 'mail.offer.subject',
          paragraphs: [t(lang, 'mail.offer.body', { until })],
          button: { label: t(lang, 'mail.offer.button'), href: `${input.manageUrl}&offer=${encodeURIComponent(session.sessionId)}#offer-${session.sessionId}` },
        };
      }
      case 'offer-expired':
        return { subject: 'mail.offerExpired.subject', paragraphs: [t(lang, 'mail.offerExpired.body')] };
      case 'promoted':
        return { subject: 'mail.promoted.subject', paragraphs: [t(lang, 'mail.promoted.body')], invite: 'request' };
      case 'approved':
        return change.status === 'confirmed'
          ? { subject: 'mail.approved.subject', paragraphs: [t(lang, 'mail.approved.confirmed')], invite: 'request' }
          : { subject: 'mail.approved.subject', paragraphs: [t(lang, 'mail.approved.waitlisted', { position: change.waitlistPosition ?? '?' })] };
      case 'rejected':
        return { subject: 'mail.rejected.subject', paragraphs: [t(lang, 'mail.rejected.body')] };
    }
  })();
  const title = pickText(session.title, lang);
  const subject = t(lang, parts.subject, { title });
  const times = sessionTimes(session, participant, context.forumTimeZone);
  const body = html`<p>${t(lang, 'mail.greeting', { name: participant.name })}</p>
<p><strong>${title}</strong><br><span>${times}</span></p>
${parts.paragraphs.map((p) => html`<p>${p}</p>`)}
${grantsSeat(parts) && session.joinUrl ? html`<p>${joinLink(lang, session.joinUrl)}</p>` : ''}
${grantsSeat(parts) ? feedParagraph(lang, input.feedUrl) : ''}
${parts.button ? html`<p><a href="${parts.button.href}" style="display:inline-block;background:#1a7f37;color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;">${parts.button.label}</a></p>` : ''}`;
  const text = [
    t(lang, 'mail.greeting', { name: participant.name }),
    '',
    title,
    times,
    '',
    ...parts.paragraphs.flatMap((p) => [p, '']),
    ...(grantsSeat(parts) && session.joinUrl ? [t(lang, 'mail.join', { url: session.joinUrl }), ''] : []),
    ...(grantsSeat(parts) ? [t(lang, 'mail.feed', { url: input.feedUrl }), ''] : []),
    ...(parts.button ? [`${parts.button.label}: ${parts.button.href}`, ''] : []),
    t(lang, 'mail.manage', { url: input.manageUrl }),
    '',
    t(lang, 'mail.signoff'),
  ].join('\n');
  return {
    to: participant.email,
    lang,
    subject,
    html: mailLayout({ lang, title: subject, body, manageUrl: input.manageUrl }),
    text,
    calendar: parts.invite
      ? [sessionInvite({ session, lang, organiser: organiserOf(context, lang), attendee: { email: participant.email, name: participant.name }, publicUrl: context.publicUrl, method: parts.invite, at: input.at })]
      : [],
    tags: { kind: change.kind, participant: participant.participantId, session: session.sessionId },
  };
}
