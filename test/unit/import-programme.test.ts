import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseProgramme, ProgrammeFileError } from '../../infra/cli/import-programme.ts';

const session = { sessionId: 'opening', title: { en: 'Opening' }, kind: 'high-level-dialogue', startsAt: '2027-03-15T09:00:00Z', endsAt: '2027-03-15T10:00:00Z', capacity: 100 };
const bad = { sessions: [session, { ...session, sessionId: 'Bad Id', title: { en: '' }, kind: 'party', startsAt: 'tomorrow', capacity: -1, colour: 'red' }] };

describe('npm run admin -- import-programme with a bad file', () => {
  it('names every problem on a line of its own, as code writes the path, in words people read', () => {
    const error = (() => {
      try {
        parseProgramme(bad);
      } catch (caught) {
        return caught;
      }
      throw new Error('expected a ProgrammeFileError');
    })();
    expect(error).toBeInstanceOf(ProgrammeFileError);
    expect((error as ProgrammeFileError).problems).toEqual([
      'sessions[1].sessionId: Use at most 64 lowercase letters, digits and dashes, starting with a letter or a digit.',
      'sessions[1].title.en: This field is required.',
      expect.stringMatching(/^sessions\[1\]\.kind: Choose one of: thematic-workshop, .*high-level-dialogue.*\.$/),
      'sessions[1].startsAt: Enter a date and time with its offset from UTC, such as 2027-03-15T09:00:00+01:00.',
      'sessions[1].capacity: Enter 0 or more.',
      'sessions[1].colour: Unknown field.',
    ]);
    expect(parseProgramme({ sessions: [session] })).toHaveLength(1);
  });

  it('prints them, imports nothing and exits non-zero (the CLI itself, before it calls the API)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'programme-'));
    const file = path.join(dir, 'programme.json');
    writeFileSync(file, JSON.stringify(bad));
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/cli/admin.ts', 'import-programme', file, '--api', 'http://127.0.0.1:9'], { cwd: path.resolve(import.meta.dirname, '../..') });
    const failure = await run.then(() => undefined, (error: { code: number; stderr: string; stdout: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('The programme file has 6 problems; nothing was imported:\n  sessions[1].sessionId: Use at most 64');
    expect(failure?.stderr).not.toMatch(/"code":|ZodError|\[\s*\{/);
    writeFileSync(file, '{ "sessions": [');
    const broken = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/cli/admin.ts', 'import-programme', file, '--api', 'http://127.0.0.1:9']).then(() => undefined, (error: { code: number; stderr: string }) => error);
    expect(broken?.code).toBe(1);
    expect(broken?.stderr).toMatch(/programme\.json is not valid JSON \(.*\); nothing was imported/);
  }, 60_000);
});
