import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allContracts } from '../../events/index.ts';
import { schedules } from '../../infra/topology.ts';

const readme = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('the README stays true', () => {
  it('lists every event contract in the event catalogue with its source', () => {
    for (const contract of allContracts) expect(readme).toContain(`| \`${contract.detailType}\` | \`${contract.source}\` |`);
  });

  it('shows the two-command quick start', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });

  it('names every schedule', () => {
    for (const schedule of schedules) expect(readme).toContain(`\`${schedule.name}\``);
  });
});
