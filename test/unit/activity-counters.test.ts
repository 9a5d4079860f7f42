import { describe, expect, it } from 'vitest';
import { counterGroup } from '../../functions/core/store/activity-counters.ts';

describe('activity counter groups', () => {
  it('keeps a group small: a whole programme and every country spread over 16 items each', () => {
    // Prepare: the counter names a busy hour writes (500 sessions, 200 countries).
    const names = [
      ...Array.from({ length: 500 }, (_, i) => `new|session|s-${i}`),
      ...Array.from({ length: 200 }, (_, i) => `new|country|C${i}`),
      'new|total',
      'outcome|confirmed',
    ];
    // Act
    const groups = new Map<string, number>();
    for (const name of names) groups.set(counterGroup(name), (groups.get(counterGroup(name)) ?? 0) + 1);
    // Assess: the two many-valued dimensions each over 16 items, none holding much more than its share.
    expect([...groups.keys()].filter((g) => g.startsWith('new|session#'))).toHaveLength(16);
    expect([...groups.keys()].filter((g) => g.startsWith('new|country#'))).toHaveLength(16);
    expect(Math.max(...[...groups].filter(([g]) => g.startsWith('new|session#')).map(([, n]) => n))).toBeLessThan(2 * (500 / 16));
    expect(groups.get('new|total')).toBe(1);
    expect(counterGroup('new|session|s-1')).toBe(counterGroup('new|session|s-1'));
  });
});
