import { describe, expect, it } from 'vitest';
import { RegistrationCancelled, RegistrationConfirmed } from '../../events/index.ts';
import { fixedClock } from '../../functions/core/clock.ts';
import type { Mailer, OutgoingMail } from '../../functions/core/mail/mailer.ts';
import type { Participant, Session } from '../../functions/core/model.ts';
import { sendRegistrationMail } from '../../functions/intake/send-registration-mail.ts';
import { sendStatusMail } from '../../functions/waitlist/send-status-mail.ts';
import { createTokenSigner } from '../../functions/identity/tokens.ts';

const participant: Participant = {
  participantId: 'p1',
  name: 'Amina',
  email: 'amina@example.org',
  organisation: 'Ministry',
  stakeholderType: 'government',
  country: 'SN',
  language: 'fr',
  timeZone: 'Africa/Dakar',
  createdAt: '2026-12-01T08:00:00Z',
};
const session: Session = {
  sessionId: 'w1-rwanda',
  title: { en: 'Rwanda workshop' },
  kind: 'country-workshop',
  startsAt: '2026-12-10T12:00:00Z',
  endsAt: '2026-12-10T13:30:00Z',
  capacity: 10,
  status: 'scheduled',
  version: 1,
  seatsTaken: 1,
  waitlistCount: 0,
  pendingCount: 0,
  waitlistSeq: 0,
  seatsHeld: 0,
  waitlistHeld: 0,
  pendingHeld: 0,
};

class RecordingMailer implements Mailer {
  readonly mails: OutgoingMail[] = [];
  async send(mail: OutgoingMail) {
    this.mails.push(mail);
    return { messageId: `m${this.mails.length}` };
  }
}

const sequenceOf = (mail: OutgoingMail) => Number(/SEQUENCE:(\d+)/.exec(mail.calendar![0]!.content)?.[1]);
const stampOf = (mail: OutgoingMail) => /DTSTAMP:(\S+)/.exec(mail.calendar![0]!.content)?.[1];

describe('calendar files sent out of order', () => {
  it('a confirmation sent after the cancellation that followed it carries the lower SEQUENCE, so calendars keep the cancellation', async () => {
    // Prepare: confirmed at 08:00:00, cancelled at 08:00:05; both mails are sent much later, cancellation first.
    const mailer = new RecordingMailer();
    const deps = {
      reader: { getParticipant: async () => participant, getSessions: async () => new Map([[session.sessionId, session]]) },
      mailer,
      tokens: createTokenSigner('x'.repeat(32)),
      clock: fixedClock('2026-12-01T09:30:00Z'),
      context: { from: 'forum@example.org', publicUrl: 'https://forum.example.org', forumTimeZone: 'Europe/Zurich' },
      tokenTtlDays: 30,
    };
    const confirmed = RegistrationConfirmed.schema.parse({
      eventId: '8f7e0d1c-0000-4000-8000-000000000001',
      occurredAt: '2026-12-01T08:00:00.200Z',
      participantId: 'p1',
      submissionId: 's1',
      sessions: [{ sessionId: session.sessionId, status: 'confirmed' }],
    });
    const cancelled = RegistrationCancelled.schema.parse({
      eventId: '8f7e0d1c-0000-4000-8000-000000000002',
      occurredAt: '2026-12-01T08:00:05.100Z',
      participantId: 'p1',
      sessionId: session.sessionId,
      previousStatus: 'confirmed',
      by: 'participant',
    });
    // Act
    await sendStatusMail(deps, { detailType: RegistrationCancelled.detailType, detail: cancelled, time: cancelled.occurredAt });
    await sendRegistrationMail(deps, confirmed);
    // Assess
    const [cancellation, confirmation] = mailer.mails as [OutgoingMail, OutgoingMail];
    expect(cancellation.calendar![0]!.content).toContain('METHOD:CANCEL');
    expect(confirmation.calendar![0]!.content).toContain('METHOD:REQUEST');
    expect(sequenceOf(cancellation) - sequenceOf(confirmation)).toBe(5);
    expect(stampOf(cancellation)).toBe('20261201T080005Z');
    expect(stampOf(confirmation)).toBe('20261201T080000Z');
  });
});
