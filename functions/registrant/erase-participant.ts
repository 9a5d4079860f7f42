import type { Clock } from '../core/clock.ts';
import { RequestError } from '../core/errors.ts';
import { html } from '../core/html.ts';
import { t } from '../core/i18n/mail-messages.ts';
import { mailLayout } from '../core/mail/layout.ts';
import type { Mailer } from '../core/mail/mailer.ts';
import type { Participant } from '../core/model.ts';
import { cancelRegistration, type LifecycleDeps } from '../waitlist/index.ts';

export type EraseDeps = {
  lifecycle: LifecycleDeps;
  participants: { getParticipant(id: string): Promise<Participant | undefined>; anonymise(participant: Participant, at: Date): Promise<void> };
  mailer: Mailer;
  clock: Clock;
};

/**
 * Erases a participant's personal data at their request (or an organiser's): every active registration
 * is cancelled (freed seats promote the waiting list), a last mail confirms the erasure while the address
 * is still known, and then name, email and organisation are removed. Anonymous counts stay. Throws 410
 * when already erased, 404 when unknown.
 */
export async function eraseParticipant(deps: EraseDeps, participantId: string): Promise<{ cancelled: number }> {
  const participant = await deps.participants.getParticipant(participantId);
  if (!participant) throw new RequestError(404, 'not_found', 'Not found.');
  if (participant.erasedAt) throw new RequestError(410, 'erased', 'Already erased.');
  const registrations = await deps.lifecycle.store.listParticipantRegistrations(participantId);
  let cancelled = 0;
  for (const registration of registrations) {
    if (await cancelRegistration(deps.lifecycle, participantId, registration.sessionId, 'erasure')) cancelled++;
  }
  const lang = participant.language;
  const subject = t(lang, 'mail.erased.subject');
  if (!participant.suppressed) {
    await deps.mailer.send({
      to: participant.email,
      subject,
      html: mailLayout({ lang, title: subject, body: html`<p>${t(lang, 'mail.greeting', { name: participant.name })}</p><p>${t(lang, 'mail.erased.body')}</p>` }),
      text: `${t(lang, 'mail.greeting', { name: participant.name })}\n\n${t(lang, 'mail.erased.body')}\n\n${t(lang, 'mail.signoff')}`,
      tags: { kind: 'erasure' },
    });
  }
  await deps.participants.anonymise(participant, deps.clock.now());
  return { cancelled };
}
