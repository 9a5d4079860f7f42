/** What the programme capability offers the others; everything else in this folder is its own. */
export { changeSession, type SessionChange } from './change-session.ts';
export { DynamoProgrammeStore } from './dynamo-programme-store.ts';
export { fanOutAdapters } from './fan-out-adapters.ts';
export { upsertSession, type ProgrammeDeps } from './import-programme.ts';
