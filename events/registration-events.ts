import { z } from 'zod';
import { defineEvent } from './contract.ts';

export const REGISTRATIONS_SOURCE = 'convene.registrations';

export const registrationStatus = z.enum(['confirmed', 'waitlisted', 'pending', 'offered', 'cancelled', 'rejected', 'expired']);

const sessionOutcome = z.object({
  sessionId: z.string(),
  status: registrationStatus,
  waitlistPosition: z.number().int().positive().optional(),
});

/**
 * A registrant's submission was stored: the registration is confirmed as received. `sessions` holds the
 * outcome for each session of that submission (confirmed, waitlisted with position, or pending approval).
 * One event per submission gives the registrant one answer mail, not one mail per session.
 */
export const RegistrationConfirmed = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.Confirmed',
  description: 'A submission was stored; per-session outcome (confirmed, waitlisted, pending) inside.',
  detail: {
    participantId: z.string(),
    submissionId: z.string(),
    sessions: z.array(sessionOutcome).min(1),
  },
});
