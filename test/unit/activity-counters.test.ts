import { describe, expect, it } from 'vitest';
import { counterGroup, SUMMARY_GROUP } from '../../functions/core/store/activity-counters.ts';

const groupsOf = (names: readonly string[]) => {
  const groups = new Map<string, number>();
  for (const name of names) groups.set(counterGroup(name), (groups.get(counterGroup(name)) ?? 0) + 1);
  return groups;
};

describe('activity counter groups', () => {
  it('keeps a group small: a whole programme and every country spread over 16 items each', () => {
    // Prepare: the counter names a busy hour writes (500 sessions, 200 countries).
    const names = [
      ...Array.from({ length: 500 }, (_, i) => `new|session|s-${i}`),
      ...Array.from({ length: 200 }, (_, i) => `new|country|C${i}`),
      ...Array.from({ length: 500 }, (_, i) => `holds|expired|s-${i}`),
      'new|total',
      'outcome|confirmed',
    ];
    // Act
    const groups = groupsOf(names);
    // Assess: the many-valued dimensions each over 16 items, none holding much more than its share.
    expect([...groups.keys()].filter((g) => g.startsWith('new|session#'))).toHaveLength(16);
    expect([...groups.keys()].filter((g) => g.startsWith('new|country#'))).toHaveLength(16);
    expect([...groups.keys()].filter((g) => g.startsWith('holds|expired#'))).toHaveLength(16);
    expect(Math.max(...[...groups].filter(([g]) => g.startsWith('new|session#')).map(([, n]) => n))).toBeLessThan(2 * (500 / 16));
    expect(groups.get(SUMMARY_GROUP)).toBe(2);
    expect(counterGroup('new|session|s-1')).toBe(counterGroup('new|session|s-1'));
  });

  it('makes a registration three updates: the bounded counters share one small item', () => {
    // Prepare: what countActivity adds for one confirmed registration to one session.
    const names = ['new|session|s-7', 'new|kind|workshop', 'new|stakeholder|government', 'new|country|KE', 'new|language|fr', 'new|total', 'outcome|confirmed'];
    // Act
    const groups = groupsOf(names);
    // Assess: summary, the session's item, the country's item.
    expect(groups.size).toBe(3);
    expect(groups.get(SUMMARY_GROUP)).toBe(5);
    // Every bounded counter of every kind of event, in one item: under 3 KB, so an update costs three write units at most.
    const kinds = ['workshop', 'policy', 'cafe', 'hackathon', 'exhibition', 'ceremony', 'dialogue', 'roundtable', 'unknown'];
    const stakeholders = ['government', 'mission', 'regulator', 'industry', 'academia', 'civil-society', 'international-organisation', 'other', 'unknown'];
    const languages = ['ar', 'en', 'es', 'fr', 'ru', 'zh', 'unknown'];
    const bounded = ['new', 'cancelled'].flatMap((prefix) => [`${prefix}|total`, ...kinds.map((k) => `${prefix}|kind|${k}`), ...stakeholders.map((s) => `${prefix}|stakeholder|${s}`), ...languages.map((l) => `${prefix}|language|${l}`)]);
    const all = [...bounded, 'outcome|confirmed', 'outcome|waitlisted', 'outcome|pending', 'outcome|held', 'holds|expired', 'waitlist|offered', 'waitlist|expired', 'waitlist|promoted', 'approvals|approved', 'approvals|rejected'];
    expect(groupsOf(all).size).toBe(1);
    // DynamoDB's item size: names plus numbers (at most 21 bytes each), plus the keys.
    const bytes = all.reduce((sum, name) => sum + Buffer.byteLength(name) + 21, 60);
    expect(bytes).toBeLessThan(3072);
  });
});
