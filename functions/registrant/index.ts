/** What the registrant capability offers the others; everything else in this folder is its own. */
export { eraseParticipant, type EraseDeps } from './erase-participant.ts';
