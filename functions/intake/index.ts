/** What the intake capability offers the others; everything else in this folder is its own. */
export { DynamoRegistrationStore } from './dynamo-registration-store.ts';
export { submitRegistration } from './submit-registration.ts';
export { confirmHolds } from './holds.ts';
