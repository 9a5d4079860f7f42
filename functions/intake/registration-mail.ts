import { html } from '../core/html.ts';
import { t } from '../core/i18n/mail-messages.ts';
import type { Participant, Session } from '../core/model.ts';
import { pickText } from '../core/model.ts';
import type { SessionOutcome } from './registration-store.ts';
import { sessionInvite } from '../core/mail/calendar.ts';
import { mailLayout } from '../core/mail/layout.ts';
import type { OutgoingMail } from '../core/mail/mailer.ts';
import { feedParagraph, joinLink, organiserOf, sessionTimes, type MailContext } from '../core/mail/mail-context.ts';

function statusText(outcome: SessionOutcome, participant: Participant): string {
  const lang = participant.language;
  if (outcome.status === 'waitlisted') return t(lang, 'status.waitlisted', { position: outcome.waitlistPosition ?? '?' });
  return t(lang, outcome.status === 'confirmed' ? 'status.confirmed' : 'status.pending');
}

/**
 * The answer mail of one submission: each session's status and times in the registrant's zone and the
 * forum's, the join link of each confirmed seat, one calendar invitation per confirmed session (see
 * mime.ts for how one or several travel) and the link to the registrant's calendar feed. The registrant's name appears only in the
 * body, escaped; the subject names sessions (organiser text) and never registrant input.
 */
export function registrationMail(input: {
  participant: Participant;
  outcomes: SessionOutcome[];
  sessions: Map<string, Session>;
  manageUrl: string;
  /** The registrant's calendar feed (https); offered when a seat is confirmed. */
  feedUrl: string;
  context: MailContext;
  /** When the registration was stored (the event's occurredAt): the invitations' SEQUENCE. */
  at: Date;
}): OutgoingMail {
  const { participant, outcomes, sessions, context } = input;
  const lang = participant.language;
  const rows = outcomes.flatMap((outcome) => {
    const session = sessions.get(outcome.sessionId);
    return session ? [{ outcome, session, title: pickText(session.title, lang) }] : [];
  });
  const first = rows[0];
  const summary =
    rows.length === 1 && first
      ? t(lang, 'mail.registration.summary.one', { title: first.title })
      : t(lang, 'mail.registration.summary.many', { count: rows.length });
  const subject = t(lang, 'mail.registration.subject', { summary });
  const confirmed = rows.filter((row) => row.outcome.status === 'confirmed');

  const body = html`<p>${t(lang, 'mail.greeting', { name: participant.name })}</p>
<p>${t(lang, 'mail.registration.intro')}</p>
<ul style="padding-inline-start:20px;">
${rows.map(
  (row) => html`<li style="margin-bottom:12px;"><strong>${row.title}</strong><br>
<span>${sessionTimes(row.session, participant, context.forumTimeZone)}</span><br>
<span style="font-weight:bold;">${statusText(row.outcome, participant)}</span>${row.outcome.status === 'confirmed' && row.session.joinUrl ? html`<br>${joinLink(lang, row.session.joinUrl)}` : ''}</li>
`,
)}</ul>
${confirmed.length > 0 ? html`<p>${t(lang, 'mail.registration.calendar')}</p>${feedParagraph(lang, input.feedUrl)}` : ''}`;

  const text = [
    t(lang, 'mail.greeting', { name: participant.name }),
    '',
    t(lang, 'mail.registration.intro'),
    '',
    ...rows.flatMap((row) => [
      `* ${row.title}`,
      `  ${sessionTimes(row.session, participant, context.forumTimeZone)}`,
      `  ${statusText(row.outcome, participant)}`,
      ...(row.outcome.status === 'confirmed' && row.session.joinUrl ? [`  ${t(lang, 'mail.join', { url: row.session.joinUrl })}`] : []),
      '',
    ]),
    ...(confirmed.length > 0 ? [t(lang, 'mail.registration.calendar'), '', t(lang, 'mail.feed', { url: input.feedUrl }), ''] : []),
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
    calendar: confirmed.map((row) =>
      sessionInvite({ session: row.session, lang, organiser: organiserOf(context, lang), attendee: { email: participant.email, name: participant.name }, publicUrl: context.publicUrl, method: 'request', at: input.at }),
    ),
    tags: { kind: 'registration', participant: participant.participantId, ...(rows.length === 1 && first ? { session: first.session.sessionId } : {}) },
  };
}
