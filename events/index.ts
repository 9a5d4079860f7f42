import type { EventContract } from './contract.ts';
import { RegistrationConfirmed } from './registration-events.ts';

export * from './contract.ts';
export * from './registration-events.ts';

/** Every contract, for the event catalogue, the schema registry and the local bus's checks. */
export const allContracts: readonly EventContract[] = [RegistrationConfirmed];
