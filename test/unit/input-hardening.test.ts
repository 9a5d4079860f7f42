import { describe, expect, it } from 'vitest';
import { ValidationError, type FieldProblem } from '../../functions/core/errors.ts';
import { parseInput } from '../../functions/core/http/validate.ts';
import { t } from '../../functions/core/i18n/messages.ts';
import { languages, programmeFile, sessionFields, sessionInput, storedSession, type Language } from '../../functions/core/model.ts';
import { registrationRequest } from '../../functions/intake/registration-request.ts';

/**
 * Text that organisers read (registrants' names and organisations, session titles) refuses bidi controls
 * and invisible characters, and join links are https only: refused with one field problem, in the
 * request's language, never stripped or rewritten.
 */

const registration = {
  name: 'Amina Diallo',
  email: 'amina@example.org',
  organisation: 'Ministry of ICT',
  stakeholderType: 'government',
  country: 'SN',
  language: 'fr',
  timeZone: 'Africa/Dakar',
  sessionIds: ['s1'],
  consent: true,
};

const session = {
  sessionId: 'w1-thematic-ai-governance',
  title: { en: 'AI governance', fr: 'Gouvernance de l’IA', ar: 'حوكمة الذكاء الاصطناعي', zh: '人工智能治理' },
  kind: 'thematic-workshop',
  startsAt: '2026-12-01T14:00:00+01:00',
  endsAt: '2026-12-01T15:30:00+01:00',
  capacity: 100,
  joinUrl: 'https://meet.example.org/w1-thematic-ai-governance',
};

function problems(schema: Parameters<typeof parseInput>[0], input: unknown, lang: Language): FieldProblem[] {
  try {
    parseInput(schema, input, lang);
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const hex = (char: string) => [...char].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

/** Each character the names refuse, by what it is. */
const refused: Array<[string, string]> = [
  ...['\u202A', '\u202B', '\u202C', '\u202D', '\u202E'].map((c): [string, string] => ['bidi embedding/override', c]),
  ...['\u2066', '\u2067', '\u2068', '\u2069'].map((c): [string, string] => ['bidi isolate', c]),
  ['left-to-right mark', '\u200E'],
  ['right-to-left mark', '\u200F'],
  ['Arabic letter mark', '\u061C'],
  ['zero-width space', '\u200B'],
  ['zero-width non-joiner', '\u200C'],
  ['zero-width joiner', '\u200D'],
  ['word joiner', '\u2060'],
  ['byte-order mark / zero-width no-break space', '\uFEFF'],
  ['soft hyphen (Cf)', '\u00AD'],
  ['invisible separator (Cf)', '\u2063'],
  ['Mongolian vowel separator (Cf)', '\u180E'],
  ['interlinear annotation anchor (Cf)', '\uFFF9'],
  ['tag character (Cf, astral)', '\u{E0041}'],
  ['Hangul filler (renders blank)', '\u3164'],
  ['lone surrogate', '\uD800'],
];

describe('names organisers read refuse bidi controls and invisible characters', () => {
  describe.each(['name', 'organisation'] as const)('%s', (field) => {
    it.each(refused)('refuses a %s (%#) inside the text, with one field problem', (_what, char) => {
      const found = problems(registrationRequest, { ...registration, [field]: `Eve${char} Mallory` }, 'en');
      expect(found, hex(char)).toEqual([{ field, code: 'custom', message: t('en', 'error.invisibleCharacters') }]);
    });

    it('refuses the classic spoof: an override that makes "exe.pdf" read as "fdp.exe"', () => {
      const found = problems(registrationRequest, { ...registration, [field]: 'Invoice \u202Efdp.exe' }, 'fr');
      expect(found).toEqual([{ field, code: 'custom', message: t('fr', 'error.invisibleCharacters') }]);
    });

    it('keeps line breaks on their own message, one problem per field', () => {
      const found = problems(registrationRequest, { ...registration, [field]: 'Eve\r\n\u202EBcc: victim@example.org' }, 'en');
      expect(found).toEqual([{ field, code: 'invalid_format', message: t('en', 'error.controlCharacters') }]);
    });

    it('gives one problem when the text is also too long', () => {
      const found = problems(registrationRequest, { ...registration, [field]: `${'n'.repeat(250)}\u200B` }, 'en');
      expect(found.map((p) => p.field)).toEqual([field]);
      expect(found[0]!.code).toBe('too_big');
    });
  });

  it('words the problem in the request\'s language (en, ar, zh and the others)', () => {
    const messages = Object.fromEntries(
      languages.map((lang) => [lang, problems(registrationRequest, { ...registration, name: 'Amina\u200FDiallo' }, lang)[0]!.message]),
    ) as Record<Language, string>;
    expect(messages.en).toMatch(/invisible/i);
    expect(messages.ar).toMatch(/\p{Script=Arabic}/u);
    expect(messages.zh).toMatch(/\p{Script=Han}/u);
    expect(messages.fr).toMatch(/invisibles/);
    expect(new Set(Object.values(messages)).size, 'six different texts').toBe(languages.length);
    for (const lang of languages) expect(messages[lang]).toBe(t(lang, 'error.invisibleCharacters'));
  });

  it.each([
    ['Arabic with harakat and spaces', 'مُحَمَّد عَبْد الرَّحْمٰن', 'وزارة الاتصالات وتقنية المعلومات'],
    ['Arabic with tatweel and hamza forms', 'عائشة بنت أحمد الـمؤمن', 'هيئة تنظيم الاتصالات'],
    ['Chinese, with an ideographic space', '欧阳　明', '中华人民共和国工业和信息化部'],
    ['French with precomposed diacritics', 'Hélène Côté-Lefèvre', 'Ministère de l’Économie numérique'],
    ['French with combining diacritics (NFD)', 'He\u0301le\u0300ne Co\u0302te\u0301', 'Agence française d’Œuvres'],
    ['mixed scripts and a no-break space', 'Dr.\u00A0Li Wei 李伟', 'ITU – Union internationale des télécommunications'],
  ])('still accepts %s', (_label, name, organisation) => {
    const parsed = parseInput(registrationRequest, { ...registration, name, organisation }, 'fr');
    expect(parsed.name).toBe(name);
    expect(parsed.organisation).toBe(organisation);
  });
});

describe('names keep the zero-width joiners their spelling needs, and only those', () => {
  it.each([
    // Persian: U+200C between the parts of a compound name, in the Arabic script.
    ['a Persian compound name (Ali-Akbar) with U+200C', '\u0639\u0644\u06CC\u200C\u0627\u06A9\u0628\u0631 \u0631\u0636\u0627\u06CC\u06CC'],
    ['a Persian organisation with U+200C after a marked letter', '\u0633\u0627\u0632\u0645\u0627\u0646\u0650\u200C\u0647\u0627'],
    // Devanagari: ka + virama + U+200D + ssa (a half form), and ka + virama + U+200C + ssa (an explicit virama).
    ['Hindi with U+200D after a virama', '\u0932\u0915\u094D\u200D\u0937\u094D\u092E\u0940'],
    ['Hindi with U+200C after a virama', '\u0932\u0915\u094D\u200C\u0937\u094D\u092E\u0940'],
    // Malayalam: na + virama + U+200D, the old spelling of a chillu letter.
    ['Malayalam with a chillu written with U+200D', '\u0D2E\u0D4B\u0D39\u0D28\u0D4D\u200D'],
  ])('accepts %s', (_label, name) => {
    expect(parseInput(registrationRequest, { ...registration, name, organisation: name }, 'ar').name).toBe(name);
  });

  it.each([
    ['U+200C between Latin letters', 'Ev\u200Ce Mallory'],
    ['U+200D between Arabic letters (joining scripts need U+200C only)', '\u0639\u0644\u06CC\u200D\u0627\u06A9\u0628\u0631'],
    ['U+200C at the start of an Arabic name', '\u200C\u0639\u0644\u06CC'],
    ['U+200C at the end of an Arabic name', '\u0639\u0644\u06CC\u200C'],
    ['U+200C between an Arabic and a Latin letter', '\u0639\u0644\u06CC\u200CAli'],
    ['U+200D after a Devanagari letter that is no virama', '\u0915\u200D\u0937'],
    ['a virama-allowed joiner next to a bidi override', '\u0915\u094D\u200D\u0937\u202E'],
  ])('still refuses %s', (_label, name) => {
    expect(problems(registrationRequest, { ...registration, name }, 'en')).toEqual([{ field: 'name', code: 'custom', message: t('en', 'error.invisibleCharacters') }]);
  });
});

describe('session titles refuse bidi controls and invisible characters', () => {
  it.each(['en', 'ar', 'zh'] as const)('refuses a right-to-left override in the %s title, naming the field', (lang) => {
    const title = { ...session.title, [lang]: `${session.title[lang]}\u202E` };
    expect(problems(sessionInput, { ...session, title }, 'en')).toEqual([{ field: `title.${lang}`, code: 'custom', message: t('en', 'error.invisibleCharacters') }]);
    expect(problems(sessionFields.strict(), { title }, 'en')).toEqual([{ field: `title.${lang}`, code: 'custom', message: t('en', 'error.invisibleCharacters') }]);
  });

  it('accepts titles in six scripts as they are', () => {
    const title = { ...session.title, ru: 'Управление ИИ', es: 'Gobernanza de la IA: ¿qué sigue?' };
    expect(parseInput(sessionInput, { ...session, title }, 'en').title).toEqual(title);
  });

  it('still reads a stored title that holds one (stored items are not refused, only new input)', () => {
    const stored = storedSession.parse({ ...session, title: { en: 'Old\u200B title' }, status: 'scheduled' });
    expect(stored.title.en).toBe('Old\u200B title');
  });
});

describe('session join links are https only', () => {
  const refusedLinks: Array<[string, string]> = [
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['JavaScript: in mixed case', 'JavaScript:alert(1)'],
    ['javascript: with a leading space', ' javascript:alert(1)'],
    ['http:', 'http://meet.example.org/w1'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['vbscript:', 'vbscript:msgbox(1)'],
    ['file:', 'file:///etc/passwd'],
    ['ftp:', 'ftp://files.example.org/room'],
    ['mailto:', 'mailto:organisers@example.org'],
    ['protocol-relative', '//meet.example.org/w1'],
    ['https without //', 'https:meet.example.org/w1'],
    ['https with backslashes', 'https:\\\\meet.example.org\\w1'],
    ['https without a host', 'https://'],
    ['credentials in the link', 'https://organiser:secret@meet.example.org/w1'],
    ['a deceptive user part', 'https://meet.example.org@evil.example/w1'],
    ['a leading space', ' https://meet.example.org/w1'],
    ['a trailing line break', 'https://meet.example.org/w1\n'],
    ['a tab inside', 'https://meet.example.org/\tw1'],
    ['a bidi override inside', 'https://meet.example.org/\u202Ew1'],
    ['a relative path', '/w1'],
    ['not a link', 'the usual room'],
    ['over 2,048 characters', `https://meet.example.org/${'a'.repeat(2048)}`],
  ];

  it.each(refusedLinks)('refuses %s in a new session (PUT, programme import)', (_what, joinUrl) => {
    const found = problems(sessionInput, { ...session, joinUrl }, 'en');
    expect(found.map((p) => p.field)).toEqual(['joinUrl']);
    if (joinUrl.length <= 2048) expect(found[0]).toEqual({ field: 'joinUrl', code: 'custom', message: t('en', 'error.httpsUrl') });
  });

  it.each(refusedLinks)('refuses %s in an update (PATCH)', (_what, joinUrl) => {
    expect(problems(sessionFields.strict(), { joinUrl }, 'en').map((p) => p.field)).toEqual(['joinUrl']);
  });

  it('names the session in a programme file', () => {
    const result = programmeFile.safeParse({ sessions: [session, { ...session, sessionId: 's2', joinUrl: 'javascript:alert(1)' }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['sessions.1.joinUrl']);
  });

  it('tells organisers what to give instead, in every language', () => {
    for (const lang of languages) {
      const [problem] = problems(sessionFields.strict(), { joinUrl: 'http://meet.example.org/w1' }, lang);
      expect(problem!.message, lang).toBe(t(lang, 'error.httpsUrl'));
      expect(problem!.message, lang).toContain('https://');
    }
  });

  it.each([
    'https://meet.example.org/w1-thematic-ai-governance',
    'HTTPS://Meet.Example.org/Room?pwd=abc&lang=fr#start',
    'https://meet.example.org:8443/j/123456789',
    'https://réunion.example.org/salle-1',
    'https://meet.example.org/%E4%BC%9A%E8%AE%AE',
  ])('accepts %s, stored exactly as given', (joinUrl) => {
    expect(parseInput(sessionInput, { ...session, joinUrl }, 'en').joinUrl).toBe(joinUrl);
    expect(parseInput(sessionFields.strict(), { joinUrl }, 'en').joinUrl).toBe(joinUrl);
  });

  it('never shows a link stored before links had to be https', () => {
    const read = (joinUrl: string) => storedSession.parse({ ...session, joinUrl, status: 'scheduled' }).joinUrl;
    expect(read('javascript:alert(1)')).toBeUndefined();
    expect(read('http://meet.example.org/w1')).toBeUndefined();
    expect(read(session.joinUrl)).toBe(session.joinUrl);
    expect(storedSession.parse({ ...session, joinUrl: undefined, status: 'scheduled' }).joinUrl).toBeUndefined();
  });
});
