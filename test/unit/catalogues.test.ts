import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, type Token } from '@messageformat/parser';
import { describe, expect, it } from 'vitest';
import { compiledSection, i18nDir, readCatalogue, sections } from '../../infra/cli/compile-messages.ts';
import { languages } from '../../functions/core/model.ts';

/** The arguments a message uses (placeholders, plural and select arguments), and every plural in it. */
function shapeOf(message: string): { args: Set<string>; plurals: Array<{ arg: string; keys: string[] }> } {
  const args = new Set<string>();
  const plurals: Array<{ arg: string; keys: string[] }> = [];
  const walk = (tokens: Token[]) => {
    for (const token of tokens) {
      if (token.type === 'argument' || token.type === 'function') args.add(token.arg);
      if (token.type === 'plural' || token.type === 'select' || token.type === 'selectordinal') {
        args.add(token.arg);
        if (token.type === 'plural') plurals.push({ arg: token.arg, keys: token.cases.map((c) => c.key) });
        for (const c of token.cases) walk(c.tokens);
      }
    }
  };
  walk(parse(message));
  return { args, plurals };
}

const english = readCatalogue('en');

describe('the message catalogues (catalogues/<lang>.json, ICU MessageFormat)', () => {
  it.each(sections)('compiled modules of section %s are those of the catalogues (run `npm run messages`)', (section) => {
    const { js, dts } = compiledSection(section);
    expect(readFileSync(path.join(i18nDir, 'compiled', `${section}.js`), 'utf8')).toBe(js);
    expect(readFileSync(path.join(i18nDir, 'compiled', `${section}.d.ts`), 'utf8')).toBe(dts);
  });

  it.each(languages.filter((l) => l !== 'en'))('%s has every key of English, and no other, in every section', (lang) => {
    const catalogue = readCatalogue(lang);
    for (const section of sections) expect(Object.keys(catalogue[section]).sort(), section).toEqual(Object.keys(english[section]).sort());
  });

  it.each(languages.filter((l) => l !== 'en'))('%s uses exactly the placeholders of English in every message', (lang) => {
    const catalogue = readCatalogue(lang);
    const wrong: string[] = [];
    for (const section of sections) {
      for (const [key, message] of Object.entries(english[section])) {
        const theirs = catalogue[section][key];
        if (theirs === undefined) continue; // the test above names it
        const [a, b] = [[...shapeOf(message).args].sort(), [...shapeOf(theirs).args].sort()];
        if (JSON.stringify(a) !== JSON.stringify(b)) wrong.push(`${section}.${key}: ${b.join(',') || '(none)'} instead of ${a.join(',') || '(none)'}`);
        // A count English words as a plural is a plural wherever the language has more than one form.
        if (new Intl.PluralRules(lang).resolvedOptions().pluralCategories.length > 1) {
          const theirPlurals = new Set(shapeOf(theirs).plurals.map((p) => p.arg));
          for (const plural of shapeOf(message).plurals) if (!theirPlurals.has(plural.arg)) wrong.push(`${section}.${key}: {${plural.arg}} is not a plural`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(languages)('%s gives every plural the forms its CLDR rules need', (lang) => {
    const needed = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
    const catalogue = readCatalogue(lang);
    const missing: string[] = [];
    for (const section of sections) {
      for (const [key, message] of Object.entries(catalogue[section])) {
        for (const plural of shapeOf(message).plurals) {
          const absent = needed.filter((category) => !plural.keys.includes(category));
          if (absent.length > 0) missing.push(`${section}.${key} {${plural.arg}}: ${absent.join(', ')}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('holds plurals where counts are worded (so Arabic gets its dual, Russian its few and many)', () => {
    expect(shapeOf(english.pages['seats.left']!).plurals).toEqual([{ arg: 'count', keys: ['one', 'other'] }]);
    expect(shapeOf(readCatalogue('ar').pages['seats.left']!).plurals[0]!.keys).toEqual(['zero', 'one', 'two', 'few', 'many', 'other']);
  });
});
