import { programmeFile, type SessionInput } from '../../functions/core/model.ts';
import type { AdminCall } from './admin-client.ts';

export type ImportResult = { created: number; updated: number; unchanged: number };

/**
 * Upserts every session of a programme through the admin API (PUT per session), so the CLI, the local
 * seed and organisers all go through the same validated, authorised path. Idempotent.
 */
export async function importProgrammeVia(
  call: AdminCall,
  programme: unknown,
  onProgress: (done: number, total: number, sessionId: string) => void = () => {},
): Promise<ImportResult> {
  const { sessions } = programmeFile.parse(programme);
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  let done = 0;
  for (const session of sessions as SessionInput[]) {
    const response = await call('PUT', `/admin/sessions/${encodeURIComponent(session.sessionId)}`, session);
    const outcome = (response.body as { result: keyof ImportResult }).result;
    result[outcome]++;
    onProgress(++done, sessions.length, session.sessionId);
  }
  return result;
}
