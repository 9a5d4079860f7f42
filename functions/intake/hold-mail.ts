import { html } from '../core/html.ts';
import { t } from '../core/i18n/mail-messages.ts';
import { mailLayout } from '../core/mail/layout.ts';
import { sessionTimes, type MailContext } from '../core/mail/mail-context.ts';
import type { OutgoingMail } from '../core/mail/mailer.ts';
import { pickText, type Participant, type Session } from '../core/model.ts';
import { formatInstant } from '../core/time-format.ts';
import type { SessionOutcome } from './registration-store.ts';

/** A session of the mail: held by this submission, still held by an earlier one (`heldUntil`), or `already` the address's. */
export type HeldSession = SessionOutcome & { already?: boolean; heldUntil?: string };

function heldText(outcome: HeldSession, participant: Participant): string {
  const lang = participant.language;
  if (outcome.already) {
    const status = outcome.status === 'waitlisted' ? t(lang, 'status.waitlisted', { position: outcome.waitlistPosition ?? '?' }) : t(lang, `status.${outcome.status}`);
    return t(lang, 'mail.hold.already', { status });
  }
  const held = outcome.status === 'waitlisted' ? t(lang, 'mail.hold.waitlisted', { position: outcome.waitlistPosition ?? '?' }) : t(lang, `mail.hold.${outcome.status}`);
  // Held by an earlier request: its own deadline, which this mail's does not extend.
  return outcome.heldUntil ? `${held} · ${formatInstant(outcome.heldUntil, participant.timeZone, lang)}` : held;
}

/**
 * The one mail asking an address to confirm a submission (address confirmation): the sessions, what is
 * held for each (or that the address already has it), until when, and the confirm button. The confirm
 * link only opens a page with a button, so a mail scanner that follows links confirms nothing. An address
 * not confirmed yet is greeted without a name: the name was typed by whoever filled in the form, and this
 * mail may reach someone who never asked for it, so it carries no text of a stranger's choosing.
 */
export function holdMail(input: {
  participant: Participant;
  sessions: HeldSession[];
  sessionsById: Map<string, Session>;
  holdExpiresAt: string;
  confirmUrl: string;
  context: MailContext;
}): OutgoingMail {
  const { participant, context } = input;
  const lang = participant.language;
  const rows = input.sessions.flatMap((outcome) => {
    const session = input.sessionsById.get(outcome.sessionId);
    return session ? [{ outcome, session, title: pickText(session.title, lang) }] : [];
  });
  const first = rows[0];
  const summary = rows.length === 1 && first ? t(lang, 'mail.registration.summary.one', { title: first.title }) : t(lang, 'mail.registration.summary.many', { count: rows.length });
  const subject = t(lang, 'mail.hold.subject', { summary });
  const until = formatInstant(input.holdExpiresAt, participant.timeZone, lang);
  const greeting = participant.addressConfirmedAt ? t(lang, 'mail.greeting', { name: participant.name }) : t(lang, 'mail.hold.greeting');
  const button = t(lang, 'mail.hold.button');

  const body = html`<p>${greeting}</p>
<p>${t(lang, 'mail.hold.intro', { until })}</p>
<ul style="padding-inline-start:20px;">
${rows.map((row) => html`<li style="margin-bottom:12px;"><strong>${row.title}</strong><br>
<span>${sessionTimes(row.session, participant, context.forumTimeZone)}</span><br>
<span style="font-weight:bold;">${heldText(row.outcome, participant)}</span></li>
`)}</ul>
<p><a href="${input.confirmUrl}" style="display:inline-block;background:#1a7f37;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold;">${button}</a></p>
<p style="color:#4a5560;">${t(lang, 'mail.hold.ignore')}</p>`;

  const text = [
    greeting,
    '',
    t(lang, 'mail.hold.intro', { until }),
    '',
    ...rows.flatMap((row) => [`* ${row.title}`, `  ${sessionTimes(row.session, participant, context.forumTimeZone)}`, `  ${heldText(row.outcome, participant)}`, '']),
    t(lang, 'mail.hold.link', { url: input.confirmUrl }),
    '',
    t(lang, 'mail.hold.ignore'),
    '',
    t(lang, 'mail.signoff'),
  ].join('\n');

  return {
    to: participant.email,
    lang,
    subject,
    html: mailLayout({ lang, title: subject, body }),
    text,
    tags: { kind: 'hold', participant: participant.participantId },
  };
}
