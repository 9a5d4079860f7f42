import type { EventContract } from './contract.ts';
import {
  RegistrationApproved,
  RegistrationCancelled,
  RegistrationConfirmed,
  RegistrationHeld,
  RegistrationHoldExpired,
  RegistrationOfferExpired,
  RegistrationOfferMade,
  RegistrationPromoted,
  RegistrationRejected,
  SessionCancelled,
  SessionRescheduled,
  SessionSeatsReleased,
  SessionUpdated,
} from './registration-events.ts';
import { sesFeedbackContracts } from './ses-events.ts';

export * from './contract.ts';
export * from './registration-events.ts';
export * from './ses-events.ts';

/** Every contract, for the event catalogue, the schema registry and the local bus's checks. */
export const allContracts: readonly EventContract[] = [
  RegistrationHeld,
  RegistrationConfirmed,
  RegistrationHoldExpired,
  RegistrationCancelled,
  RegistrationOfferMade,
  RegistrationOfferExpired,
  RegistrationPromoted,
  RegistrationApproved,
  RegistrationRejected,
  SessionSeatsReleased,
  SessionRescheduled,
  SessionUpdated,
  SessionCancelled,
  ...sesFeedbackContracts,
];

/** The registration changes that each produce one mail to the registrant (the status-mail consumer's rules). */
export const registrantNoticeContracts = [
  RegistrationCancelled,
  RegistrationOfferMade,
  RegistrationOfferExpired,
  RegistrationPromoted,
  RegistrationApproved,
  RegistrationRejected,
] as const;
