import type { SessionInput } from '../model.ts';
import type { ProgrammeStore, UpsertResult } from './programme-store.ts';

export type ImportSummary = Record<UpsertResult, number>;

/**
 * Upserts every session of a programme file, in order. Importing the same file twice changes nothing
 * the second time. `onProgress` lets the CLI draw its progress bar.
 */
export async function importProgramme(
  store: ProgrammeStore,
  sessions: readonly SessionInput[],
  onProgress: (done: number, total: number) => void = () => {},
): Promise<ImportSummary> {
  const summary: ImportSummary = { created: 0, updated: 0, unchanged: 0 };
  let done = 0;
  for (const session of sessions) {
    summary[await store.upsertSession(session)]++;
    onProgress(++done, sessions.length);
  }
  return summary;
}
