import type { Clock } from '../core/clock.ts';
import { ConcurrencyConflict } from '../core/errors.ts';
import type { SessionInput } from '../core/model.ts';
import { changeFromInput, changeSession } from './change-session.ts';
import type { ProgrammeStore, UpsertResult } from './programme-store.ts';

export type ProgrammeDeps = { store: ProgrammeStore; clock: Clock; quietPeriodMinutes: number };

/**
 * Creates a session, or brings an existing one to the declared state through the same change path as
 * organisers' edits (versioned, evented, coalesced notices). Importing the same file twice changes nothing
 * the second time.
 */
export async function upsertSession(deps: ProgrammeDeps, input: SessionInput): Promise<UpsertResult> {
  const existing = await deps.store.getSession(input.sessionId);
  if (!existing) {
    try {
      await deps.store.createSession(input);
      return 'created';
    } catch (error) {
      if (!(error instanceof ConcurrencyConflict)) throw error;
    }
  }
  let changed = false;
  const current = existing ?? (await deps.store.getSession(input.sessionId))!;
  const first = changeFromInput(current, input);
  changed = (await changeSession(deps, input.sessionId, first)).changed;
  if (first.kind === 'reschedule') {
    // A time change and other edits in one import: both land, within one quiet period, as one notice.
    const rest = changeFromInput((await deps.store.getSession(input.sessionId))!, input);
    changed = (await changeSession(deps, input.sessionId, rest)).changed || changed;
  }
  return changed ? 'updated' : 'unchanged';
}
