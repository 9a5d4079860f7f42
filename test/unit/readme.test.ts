import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allContracts } from '../../events/index.ts';
import { schedules } from '../../infra/topology.ts';
import { configFields } from '../../functions/core/config.ts';
import { settingDefault, settingNames, settings } from '../../functions/core/settings.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** The README's "Configuration" section, as blocks separated by blank lines. */
const configurationBlocks = (() => {
  const start = readme.indexOf('\n## Configuration\n');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end).split(/\n\s*\n/).map((block) => block.trim());
})();
/** The rows of the table that follows the paragraph starting with `intro`, as trimmed cells. */
function tableAfter(intro: string): string[][] {
  const at = configurationBlocks.findIndex((block) => block.startsWith(intro));
  const table = configurationBlocks[at + 1];
  if (at < 0 || !table?.startsWith('|')) throw new Error(`README Configuration: no table after "${intro}…"`);
  return table
    .split('\n')
    .slice(2) // header and separator
    .map((row) => row.trim().replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim()));
}
/** `NAME`, `OTHER` -> ['NAME', 'OTHER'] */
const namesIn = (cell: string) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);

describe('the README stays true', () => {
  it('lists every event contract in the event catalogue with its source', () => {
    for (const contract of allContracts) expect(readme).toContain(`| \`${contract.detailType}\` | \`${contract.source}\` |`);
  });

  it('shows the two-command quick start', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });

  it('lists every declared setting in the tunable settings table with its context key, meaning and default', () => {
    const rows = tableAfter('Tunable settings');
    for (const name of settingNames) {
      const { contextKey, meaning } = settings[name];
      expect(rows, name).toContainEqual([`\`${name}\``, `\`${contextKey}\``, meaning, settingDefault(name)]);
    }
  });

  it('declares every setting of the tunable settings table, and lists no setting among the wiring', () => {
    const tunable = tableAfter('Tunable settings').flatMap(([variable]) => namesIn(variable!));
    expect(tunable.filter((name) => !(settingNames as string[]).includes(name))).toEqual([]);
    expect(tunable).toHaveLength(settingNames.length);
    const wiring = tableAfter('Wiring').flatMap(([variable]) => namesIn(variable!));
    expect(wiring.filter((name) => (settingNames as string[]).includes(name))).toEqual([]);
    expect(wiring.filter((name) => !(name in configFields))).toEqual([]);
  });

  it('names every schedule', () => {
    for (const schedule of schedules) expect(readme).toContain(`\`${schedule.name}\``);
  });
});
