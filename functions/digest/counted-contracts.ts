import {
  RegistrationApproved,
  RegistrationCancelled,
  RegistrationConfirmed,
  RegistrationHoldExpired,
  RegistrationOfferExpired,
  RegistrationOfferMade,
  RegistrationPromoted,
  RegistrationRejected,
} from '../../events/index.ts';

/** The registration events the digest counts. */
export const countedContracts = [
  RegistrationConfirmed,
  RegistrationCancelled,
  RegistrationOfferMade,
  RegistrationOfferExpired,
  RegistrationPromoted,
  RegistrationApproved,
  RegistrationRejected,
  RegistrationHoldExpired,
] as const;
