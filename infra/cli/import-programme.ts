import { fieldMessage } from '../../functions/core/http/validate.ts';
import { programmeFile, type SessionInput } from '../../functions/core/model.ts';
import type { AdminCall } from './admin-client.ts';

/** A programme file that does not validate: one readable line per problem, `sessions[3].startsAt: …`. */
export class ProgrammeFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`The programme file has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was imported:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    this.name = 'ProgrammeFileError';
  }
}

/** `sessions.3.startsAt` as code writes it: `sessions[3].startsAt`. */
const codePath = (field: string) => field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');

/**
 * The programme file's sessions, or a ProgrammeFileError naming every problem (checked before anything is
 * sent), in the words registrants get, and naming the values a field accepts when it takes one of a list.
 */
export function parseProgramme(programme: unknown): SessionInput[] {
  const parsed = programmeFile.safeParse(programme, { error: (issue) => fieldMessage(issue, 'en') });
  if (parsed.success) return parsed.data.sessions as SessionInput[];
  throw new ProgrammeFileError(
    parsed.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${codePath([...issue.path, key].join('.'))}: Unknown field.`);
      const message = issue.code === 'invalid_value' ? `Choose one of: ${issue.values.map(String).join(', ')}.` : issue.message;
      return [`${codePath(issue.path.join('.')) || '(file)'}: ${message}`];
    }),
  );
}

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
  const sessions = parseProgramme(programme);
  const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
  let done = 0;
  for (const session of sessions) {
    const response = await call('PUT', `/admin/sessions/${encodeURIComponent(session.sessionId)}`, session);
    const outcome = (response.body as { result: keyof ImportResult }).result;
    result[outcome]++;
    onProgress(++done, sessions.length, session.sessionId);
  }
  return result;
}
