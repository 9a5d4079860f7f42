import type { Clock } from '../core/clock.ts';
import { RequestError } from '../core/errors.ts';
import { html } from '../core/html.ts';
import { t } from '../core/i18n/mail-messages.ts';
import { sessionInvite } from '../core/mail/calendar.ts';
import { mailLayout } from '../core/mail/layout.ts';
import { organiserOf, type MailContext } from '../core/mail/mail-context.ts';
import type { Mailer } from '../core/mail/mailer.ts';
import type { Participant, Session } from '../core/model.ts';
import { cancelRegistration, type LifecycleDeps } from '../waitlist/index.ts';

export type EraseDeps = {
  lifecycle: LifecycleDeps;
  participants: {
    getParticipant(id: string): Promise<Participant | undefined>;
    getSessions(sessionIds: readonly string[]): Promise<Map<string, Session>>;
    anonymise(participant: Participant, at: Date): Promise<void>;
  };
  mailer: Mailer;
  /** The sender and the public URL (the calendar UIDs' domain) of the removals the last mail carries. */
  context: Pick<MailContext, 'from' | 'fromName' | 'publicUrl'>;
  clock: Clock;
};

/**
 * Erases a participant's personal data at their request (or an organiser's): every active registration
 * is cancelled (freed seats promote the waiting list), a last mail confirms the erasure while the address
 * is still known, with a METHOD:CANCEL for each seat it held (its calendar entries go too), and then
 * name, email and organisation are removed. Anonymous counts stay. Throws 410
 * when already erased, 404 when unknown.
 */
export async function eraseParticipant(deps: EraseDeps, participantId: string): Promise<{ cancelled: number }> {
  const participant = await deps.participants.getParticipant(participantId);
  if (!participant) throw new RequestError(404, 'not_found', 'Not found.');
  if (participant.erasedAt) throw new RequestError(410, 'erased', 'Already erased.');
  const registrations = await deps.lifecycle.store.listParticipantRegistrations(participantId);
  let cancelled = 0;
  const seats: string[] = [];
  for (const registration of registrations) {
    if (!(await cancelRegistration(deps.lifecycle, participantId, registration.sessionId, 'erasure'))) continue;
    cancelled++;
    if (registration.status === 'confirmed') seats.push(registration.sessionId);
  }
  const lang = participant.language;
  const subject = t(lang, 'mail.erased.subject');
  if (!participant.suppressed) {
    const now = deps.clock.now();
    const sessions = seats.length ? await deps.participants.getSessions(seats) : new Map<string, Session>();
    // A cancelled session's too: its notice may not have reached them yet, and a second CANCEL is harmless.
    const removals = [...sessions.values()].map((session) =>
      sessionInvite({ session, lang, organiser: organiserOf(deps.context, lang), attendee: { email: participant.email, name: participant.name }, publicUrl: deps.context.publicUrl, method: 'cancel', at: now }),
    );
    const paragraphs = [t(lang, 'mail.erased.body'), ...(removals.length ? [t(lang, 'mail.erased.calendar')] : [])];
    await deps.mailer.send({
      to: participant.email,
      lang,
      subject,
      html: mailLayout({ lang, title: subject, body: html`<p>${t(lang, 'mail.greeting', { name: participant.name })}</p>${paragraphs.map((p) => html`<p>${p}</p>`)}` }),
      text: [t(lang, 'mail.greeting', { name: participant.name }), '', ...paragraphs.flatMap((p) => [p, '']), t(lang, 'mail.signoff')].join('\n'),
      calendar: removals,
      tags: { kind: 'erasure' },
    });
  }
  await deps.participants.anonymise(participant, deps.clock.now());
  return { cancelled };
}
