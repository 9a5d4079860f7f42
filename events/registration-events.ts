import * as z from 'zod';
import { defineEvent } from './contract.ts';

export const REGISTRATIONS_SOURCE = 'convene.registrations';

export const registrationStatus = z.enum(['confirmed', 'waitlisted', 'pending', 'offered', 'cancelled', 'rejected', 'expired', 'held']);

/** Where a submission left a session: the three outcomes intake gives (offers and the rest come later). */
const sessionOutcome = z.object({
  sessionId: z.string(),
  status: z.enum(['confirmed', 'waitlisted', 'pending']),
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

/**
 * A public-form submission for an address that has not confirmed it (address confirmation on): its
 * places are held until `holdExpiresAt`, and the address gets one mail asking to confirm. `sessions` says
 * what each session's place becomes on confirmation; `already` marks sessions the address was already
 * registered for (nothing new is held for them). `holdId` is what the mail's confirm link confirms.
 */
export const RegistrationHeld = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.Held',
  description: 'A submission holds places until its address is confirmed from the mail sent to it.',
  detail: {
    participantId: z.string(),
    submissionId: z.string(),
    holdId: z.string(),
    holdExpiresAt: z.iso.datetime({ offset: true }),
    sessions: z.array(sessionOutcome.extend({ already: z.boolean().optional(), heldUntil: z.iso.datetime({ offset: true }).optional() })).min(1),
  },
});

const registrationRef = { participantId: z.string(), sessionId: z.string() };

/** A held place was not confirmed in time and is released (a freed seat goes to the waiting list). */
export const RegistrationHoldExpired = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.HoldExpired',
  description: 'A place held for an unconfirmed address was released unconfirmed.',
  detail: { ...registrationRef, heldAs: z.enum(['confirmed', 'waitlisted', 'pending']) },
});

/** A registration was cancelled by the registrant, an organiser, or the end of a session. */
export const RegistrationCancelled = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.Cancelled',
  description: 'A registration was cancelled; previousStatus tells whether a seat or waiting-list place was freed.',
  detail: { ...registrationRef, previousStatus: registrationStatus, by: z.enum(['participant', 'organiser', 'erasure']) },
});

/** The head of a waiting list was offered a freed seat, held until offerExpiresAt. */
export const RegistrationOfferMade = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.OfferMade',
  description: 'A freed seat is held for a waitlisted registrant until offerExpiresAt.',
  detail: { ...registrationRef, offerExpiresAt: z.iso.datetime({ offset: true }) },
});

/** An offer ran out unclaimed; the seat passes to the next in line. */
export const RegistrationOfferExpired = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.OfferExpired',
  description: 'An offer was not accepted in time; the registrant left the waiting list.',
  detail: registrationRef,
});

/** A waitlisted registrant got a seat: by accepting an offer, or at once when the claim window is 0. */
export const RegistrationPromoted = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.Promoted',
  description: 'A waitlisted registrant is now confirmed.',
  detail: { ...registrationRef, via: z.enum(['offer', 'direct']) },
});

/** An organiser approved a registration for a restricted session. */
export const RegistrationApproved = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.Approved',
  description: 'A pending registration was approved; it took a seat or a waiting-list place.',
  detail: { ...registrationRef, status: z.enum(['confirmed', 'waitlisted']), waitlistPosition: z.number().int().positive().optional() },
});

/** An organiser rejected a registration for a restricted session. */
export const RegistrationRejected = defineEvent({
  source: REGISTRATIONS_SOURCE,
  detailType: 'Registration.Rejected',
  description: 'A pending registration was rejected.',
  detail: registrationRef,
});

export const PROGRAMME_SOURCE = 'convene.programme';

/** Seats became free in a session (cancellation, expired offer, capacity increase): promote the waiting list. */
export const SessionSeatsReleased = defineEvent({
  source: PROGRAMME_SOURCE,
  detailType: 'Session.SeatsReleased',
  description: 'A session has free seats again; the waiting list is promoted in position order.',
  detail: { sessionId: z.string(), reason: z.enum(['cancellation', 'offer-expired', 'capacity-increase', 'rejection', 'hold-expired', 'hold-confirmed']) },
});

const visibleState = z.object({
  startsAt: z.string(),
  endsAt: z.string(),
  title: z.record(z.string(), z.string()),
  joinUrl: z.string().optional(),
  status: z.enum(['scheduled', 'cancelled']),
});

/** Organisers moved a session; `previous` and `current` give the times. */
export const SessionRescheduled = defineEvent({
  source: PROGRAMME_SOURCE,
  detailType: 'Session.Rescheduled',
  description: 'A session moved to a new start and end; registrants are told once the quiet period ends.',
  detail: { sessionId: z.string(), version: z.number().int().positive(), previous: visibleState, current: visibleState },
});

/** Organisers changed a session's title, link, description or capacity. */
export const SessionUpdated = defineEvent({
  source: PROGRAMME_SOURCE,
  detailType: 'Session.Updated',
  description: 'A session changed (title, join link, description, capacity); changed lists the fields.',
  detail: { sessionId: z.string(), version: z.number().int().positive(), changed: z.array(z.string()).min(1), capacity: z.object({ from: z.number(), to: z.number() }).optional() },
});

/** Organisers cancelled a session: registrants get one cancellation notice, the waiting list ends. */
export const SessionCancelled = defineEvent({
  source: PROGRAMME_SOURCE,
  detailType: 'Session.Cancelled',
  description: 'A session was cancelled; the calendar entry is removed and the waiting list ends.',
  detail: { sessionId: z.string(), version: z.number().int().positive(), reason: z.string().max(500).optional() },
});
