import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMail } from './mailer.ts';

/**
 * The MIME message of one mail, composed by nodemailer's MailComposer (SES sends it as raw content).
 *
 * A mail about one calendar entry carries it as iMIP (RFC 6047 §2.4) and as the clients' own invitations
 * do: multipart/mixed holding multipart/alternative (text/plain, text/html and `text/calendar;
 * charset=utf-8; method=…`, the parameter equal to the file's METHOD, as §2.4 requires), plus the same
 * file as an `application/ics` attachment `invite.ics`. That is CalConnect's iMIP best practice (DEVGUIDE
 * `iMip/iMipBest-Practices.md`: some clients see only the text/calendar part, others only an
 * application/ics attachment), Microsoft's layout (MS-OXCMAIL 2.1.3.3.8.2) and what nodemailer's
 * `icalEvent` builds (nodemailer.com/message/calendar-events). Every part is UTF-8 and MailComposer
 * declares a quoted-printable or base64 transfer encoding for it (§2.5).
 *
 * A REQUEST or CANCEL may hold several VEVENTs only with the same UID (RFC 5546 §3.2.2, §3.2.5), and
 * clients act on the first event of a message (Outlook and Thunderbird by its UID: grommunio/gromox#262;
 * Gmail shows the first: sebbo2002/ical-generator#225). So a mail about several sessions (an answer with
 * five seats, an erasure) carries no iMIP part: each session is its own `application/ics` attachment
 * with its METHOD, which every client opens or imports as that event, and the mail points to the
 * registrant's calendar feed, which holds them all and follows every change.
 */
export async function composeMime(mail: OutgoingMail, from: { name: string; address: string }): Promise<Buffer> {
  const invites = mail.calendar ?? [];
  const [only] = invites.length === 1 ? invites : [];
  const composer = new MailComposer({
    from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    headers: Object.fromEntries((mail.headers ?? []).map((h) => [h.name, h.value])),
    ...(only ? { icalEvent: { method: only.method, filename: 'invite.ics', content: only.content } } : {}),
    attachments: [
      ...(invites.length > 1
        ? invites.map((invite) => ({ filename: invite.filename, content: invite.content, contentType: 'application/ics', contentTransferEncoding: 'base64' }))
        : []),
      ...(mail.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType, contentTransferEncoding: 'base64' })),
    ],
  });
  return composer.compile().build();
}
