import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageText } from '../../functions/core/i18n/page-messages.ts';
import { languages, sessionKinds, type Language } from '../../functions/core/model.ts';
import { answerPage } from '../../functions/intake/answer-page.ts';
import { pageLayout } from '../../functions/core/pages/layout.ts';
import { managePage } from '../../functions/registrant/manage-page.ts';
import { messagePage, standardMessagePage } from '../../functions/core/pages/message-page.ts';
import { registrationPage } from '../../functions/intake/registration-page.ts';
import { isoWeekStart, programmeByDay } from '../../functions/core/pages/session-parts.ts';
import { timeZoneOptions } from '../../functions/core/pages/form-controls.ts';
import { html } from '../../functions/core/html.ts';
import type { SessionView } from '../../functions/core/sessions-view.ts';
import type { ManageView } from '../../functions/registrant/manage-view.ts';
import type { SubmissionAnswer } from '../../functions/intake/registration-store.ts';

const FORUM_ZONE = 'Europe/Zurich';
const HOSTILE_NAME = '<script>alert(1)</script>';
const HOSTILE_TITLE = '"><img src=x onerror=alert(1)>';

function session(overrides: Partial<SessionView> & Pick<SessionView, 'sessionId'>): SessionView {
  return {
    title: { en: `Session ${overrides.sessionId}` },
    kind: 'thematic-workshop',
    startsAt: '2026-12-07T13:00:00Z',
    endsAt: '2026-12-07T14:30:00Z',
    capacity: 100,
    seatsLeft: 12,
    status: 'scheduled',
    restricted: false,
    availability: 'open',
    ...overrides,
  };
}

const programme: SessionView[] = [
  session({
    sessionId: 'ai-governance',
    title: { en: 'AI governance', fr: 'Gouvernance de l’IA', ar: 'حوكمة الذكاء الاصطناعي' },
    description: { en: 'How regulators cooperate.' },
  }),
  session({ sessionId: 'hostile', title: { en: HOSTILE_TITLE }, kind: 'knowledge-cafe', startsAt: '2026-12-08T09:00:00Z', endsAt: '2026-12-08T10:00:00Z' }),
  session({ sessionId: 'full-room', kind: 'country-workshop', seatsLeft: 0, availability: 'waitlist', startsAt: '2026-12-09T15:00:00Z', endsAt: '2026-12-09T16:00:00Z' }),
  session({
    sessionId: 'ministerial',
    kind: 'ministerial-round-table',
    restricted: true,
    availability: 'approval',
    startsAt: '2026-12-14T10:00:00Z',
    endsAt: '2026-12-14T12:00:00Z',
  }),
  session({ sessionId: 'gone-by', kind: 'exhibition', availability: 'closed', status: 'cancelled', startsAt: '2026-12-10T08:00:00Z', endsAt: '2026-12-10T09:00:00Z' }),
];

const answer: SubmissionAnswer = {
  sessions: [
    { sessionId: 'ai-governance', status: 'confirmed' },
    { sessionId: 'full-room', status: 'waitlisted', waitlistPosition: 3 },
    { sessionId: 'ministerial', status: 'pending' },
  ],
  mailedTo: 'a•••@example.org',
};

const TOKEN = 'eyJwIjoicC0xIn0.sig"&<x>';

const manageView: ManageView = {
  participant: {
    participantId: 'p-1',
    name: HOSTILE_NAME,
    email: 'ann@example.org',
    organisation: 'Ministry of <b>Digital</b> Affairs',
    language: 'en',
    timeZone: 'Asia/Tokyo',
    remindersOff: false,
  },
  registrations: [
    { sessionId: 'ai-governance', status: 'confirmed', session: programme[0]! },
    { sessionId: 'full-room', status: 'offered', offerExpiresAt: '2026-12-08T12:00:00Z', session: programme[2]! },
    { sessionId: 'ministerial', status: 'pending', session: programme[3]! },
    { sessionId: 'hostile', status: 'waitlisted', waitlistPosition: 7, session: programme[1]! },
  ],
  available: [session({ sessionId: 'extra-cafe', kind: 'knowledge-cafe', seatsLeft: 1, startsAt: '2026-12-15T07:00:00Z', endsAt: '2026-12-15T08:00:00Z' })],
};

const registration = (lang: Language, extra: Partial<Parameters<typeof registrationPage>[0]> = {}) =>
  registrationPage({ lang, sessions: programme, forumTimeZone: FORUM_ZONE, displayTimeZone: 'America/New_York', ...extra });
const manage = (lang: Language, extra: Partial<Parameters<typeof managePage>[0]> = {}) =>
  managePage({ lang, view: manageView, token: TOKEN, forumTimeZone: FORUM_ZONE, ...extra });
const answered = (lang: Language) =>
  answerPage({ lang, answer, sessions: new Map(programme.map((s) => [s.sessionId, s])), timeZone: 'Asia/Tokyo', forumTimeZone: FORUM_ZONE });

/** Visible text and attributes, without the style sheet and the script (whose braces are code). */
function markup(page: string): string {
  return page.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<script>[\s\S]*?<\/script>/g, '');
}

function tags(page: string, name: string): string[] {
  return [...page.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((match) => match[0]);
}

function attr(tag: string, name: string): string | undefined {
  return tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
}

function visibleControls(page: string): string[] {
  return [...tags(page, 'input'), ...tags(page, 'select'), ...tags(page, 'textarea')].filter((tag) => attr(tag, 'type') !== 'hidden');
}

function labelTargets(page: string): string[] {
  return tags(page, 'label').map((tag) => attr(tag, 'for') ?? '');
}

function forms(page: string): string[] {
  return [...page.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map((match) => match[0]);
}

function ids(page: string): string[] {
  return [...page.matchAll(/\sid="([^"]*)"/g)].map((match) => match[1]!);
}

describe('registration page', () => {
  it('shows registrant and organiser text only escaped', () => {
    // Prepare
    const values = { name: HOSTILE_NAME, organisation: `x" autofocus onfocus="alert(1)`, email: 'a@b.org' };

    // Act
    const page = registration('en', { values, errors: [{ field: 'email', code: 'x', message: '<i>bad</i>' }] });

    // Assess
    expect(page).not.toContain(HOSTILE_NAME);
    expect(page).not.toContain(HOSTILE_TITLE);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<i>bad</i>');
    expect(page).not.toContain('onfocus="alert(1)"');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(tags(page, 'script')).toHaveLength(1);
  });

  it('gives every form control a label and every id only once, in all six languages', () => {
    for (const lang of languages) {
      // Act
      const page = registration(lang, { errors: [{ field: 'name', code: 'too_small', message: 'x' }] });

      // Assess
      const controls = visibleControls(page);
      expect(controls.length).toBeGreaterThan(10);
      for (const control of controls) {
        const id = attr(control, 'id');
        expect(id, control).toBeTruthy();
        expect(labelTargets(page), `${lang}: label for ${id}`).toContain(id);
      }
      expect(new Set(ids(page)).size).toBe(ids(page).length);
    }
  });

  it('posts exactly the fields the registration schema reads', () => {
    // Act
    const page = registration('fr');

    // Assess
    const [form] = forms(page);
    expect(form).toMatch(/^<form method="post" action="\/registrations"/);
    // The programme's filters sit inside it but belong to the GET form `programme-filter` (form="…").
    const own = [...visibleControls(form!), ...tags(form!, 'button')].filter((tag) => attr(tag, 'form') !== 'programme-filter');
    const names = new Set(own.map((tag) => attr(tag, 'name')).filter(Boolean));
    expect([...names].sort()).toEqual(['consent', 'country', 'email', 'language', 'name', 'organisation', 'sessionIds', 'stakeholderType', 'timeZone']);
    const filters = [...visibleControls(form!), ...tags(form!, 'button')].filter((tag) => attr(tag, 'form') === 'programme-filter');
    expect(filters.map((tag) => attr(tag, 'name')).filter(Boolean)).toEqual(['kind', 'week', 'tz']);
    expect(page).toContain('<form id="programme-filter" method="get" action="/"><input type="hidden" name="lang" value="fr"></form>');
    expect(tags(form!, 'input').filter((tag) => attr(tag, 'type') === 'hidden')).toEqual([]);
  });

  it('summarises errors at the top with links to the invalid fields, which are marked invalid', () => {
    // Prepare
    const errors = [
      { field: 'email', code: 'invalid_format', message: 'Invalid email address' },
      { field: 'sessionIds', code: 'too_small', message: 'Choose at least one session' },
      { field: 'consent', code: 'invalid_value', message: 'Please agree' },
      { field: 'country', code: 'custom', message: 'Unknown country code.' },
      { field: '(body)', code: 'unrecognized_key', message: 'Unknown field.' },
    ];

    // Act
    const page = registration('en', { errors });

    // Assess
    const summary = page.match(/<div class="error-summary" role="alert"[\s\S]*?<\/div>/)?.[0] ?? '';
    expect(page.indexOf('error-summary')).toBeLessThan(page.indexOf('<form'));
    const links = [...summary.matchAll(/href="#([^"]+)"/g)].map((match) => match[1]!);
    expect(links).toEqual(['field-email', 'session-ai-governance', 'field-consent', 'field-country']);
    expect(summary).toContain('<li>Unknown field.</li>');
    for (const id of links) {
      const control = visibleControls(page).find((tag) => attr(tag, 'id') === id)!;
      expect(attr(control, 'aria-invalid'), id).toBe('true');
      for (const describedBy of (attr(control, 'aria-describedby') ?? '').split(' ')) expect(ids(page), describedBy).toContain(describedBy);
    }
    const email = visibleControls(page).find((tag) => attr(tag, 'id') === 'field-email')!;
    expect(attr(email, 'aria-describedby')).toBe('field-email-hint field-email-error');
    expect(attr(visibleControls(page).find((tag) => attr(tag, 'id') === 'field-name')!, 'aria-invalid')).toBeUndefined();
  });

  it('shows each session in the registrant’s zone and in the forum’s, both labelled', () => {
    // Act
    const page = registration('en');

    // Assess: 13:00 UTC is 08:00 in New York and 14:00 in Zurich.
    expect(page).toContain('Your time (<span class="js-local-zone">GMT-5</span>)');
    expect(page).toContain('Forum time (<span>CET</span>)');
    expect(page).toContain('data-start="2026-12-07T13:00:00Z" data-end="2026-12-07T14:30:00Z"');
    expect(page).toMatch(/Mon,? 7 Dec 2026, 08:00\s*–\s*09:30/);
    expect(page).toMatch(/Mon,? 7 Dec 2026, 14:00\s*–\s*15:30/);
  });

  it('shows closed sessions with a disabled checkbox and open ones selectable', () => {
    // Act
    const page = registration('en', { values: { sessionIds: ['gone-by', 'ai-governance'] } });

    // Assess
    const box = (id: string) => visibleControls(page).find((tag) => attr(tag, 'id') === `session-${id}`)!;
    expect(box('gone-by')).toMatch(/\sdisabled/);
    expect(box('gone-by')).not.toMatch(/\schecked/);
    expect(box('ai-governance')).toMatch(/\schecked/);
    expect(box('ai-governance')).not.toMatch(/\sdisabled/);
    expect(box('full-room')).not.toMatch(/\sdisabled/);
    expect(page).toContain('>Closed<');
    expect(page).toContain('>Waiting list<');
    expect(page).toContain('>Requires approval<');
    expect(page).toContain('>12 seats left<');
  });

  it('fills the form again with what was posted, and keeps the posted time zone from the script', () => {
    // Prepare
    const values = { name: 'Ann', email: 'ann@example.org', country: 'ch', stakeholderType: 'regulator', language: 'fr', timeZone: 'Asia/Tokyo', consent: 'on' };

    // Act
    const page = registration('en', { values });

    // Assess
    expect(page).toContain('value="Ann"');
    expect(page).toContain('<option value="CH" selected>Switzerland</option>');
    expect(page).toContain('<option value="regulator" selected>Regulator</option>');
    expect(page).toContain('<option value="fr" lang="fr" selected>Français</option>');
    expect(page).toContain('<option value="Asia/Tokyo" selected>');
    expect(page).toContain('data-auto="false"');
    expect(visibleControls(page).find((tag) => attr(tag, 'id') === 'field-consent')).toMatch(/\schecked/);
  });

  it('preselects the display zone and lets the script replace it when nothing was posted', () => {
    // Act
    const page = registration('en');

    // Assess
    expect(page).toMatch(/<option value="America\/New_York" selected>UTC-0[45]:00 · New York · Eastern Time<\/option>/);
    expect(page).toContain('data-auto="true"');
    expect(page).toContain("Intl.DateTimeFormat().resolvedOptions().timeZone");
  });

  it('offers the time zones grouped by region, named in the page language, with their UTC offsets and current names', () => {
    // Prepare: a winter date, so the offsets are those of northern winter.
    const winter = new Date('2027-01-15T12:00:00Z');
    const list = (lang: Language, selected?: string) => String(timeZoneOptions(lang, selected, winter));

    // Act
    const en = list('en', 'Asia/Calcutta');
    const zh = list('zh');
    const ar = list('ar');

    // Assess: regions as optgroups, in the page language; offsets first; Kolkata and Kyiv, not Calcutta and Kiev.
    expect([...en.matchAll(/<optgroup label="([^"]+)">/g)].map((m) => m[1])).toEqual(['Africa', 'Americas', 'Antarctica', 'Asia', 'Atlantic Ocean', 'Australia', 'Europe', 'Indian Ocean', 'Pacific Ocean', 'Coordinated Universal Time']);
    expect(en).toContain('<option value="Asia/Kolkata" selected>UTC+05:30 · Kolkata · India Standard Time</option>');
    expect(en).toContain('<option value="Europe/Kyiv">UTC+02:00 · Kyiv · Eastern European Time</option>');
    expect(en).not.toMatch(/Calcutta|Kiev|Katmandu|Saigon|Rangoon/);
    expect(zh).toContain('<optgroup label="亚洲">');
    expect(zh).toContain('<option value="Asia/Kolkata">UTC+05:30 · Kolkata · 印度时间</option>');
    expect(ar).toContain('<optgroup label="أوروبا">');
    // Within a region, by offset: Adak (-10) before New York (-5) before São Paulo (-3).
    const americas = en.slice(en.indexOf('label="Americas"'), en.indexOf('label="Antarctica"'));
    expect(americas.indexOf('Adak')).toBeGreaterThan(-1);
    expect(americas.indexOf('Adak')).toBeLessThan(americas.indexOf('New York'));
    expect(americas.indexOf('New York')).toBeLessThan(americas.indexOf('Sao Paulo'));
    // A zone not in the list (a browser's own) stays selected as given.
    expect(list('en', 'Etc/GMT-3')).toContain('<option value="Etc/GMT-3" selected>Etc/GMT-3</option>');
  });

  it('lists the programme by date under week and day headings in the registrant’s zone, weeks as disclosures', () => {
    // Act
    const en = markup(registration('en'));
    const ru = markup(registration('ru'));

    // Assess: two weeks (a small programme shows both open), days in New York time, sessions in start order.
    const weeks = [...en.matchAll(/<details class="week" id="week-([\d-]+)"[^>]*?( open)?>\s*<summary><h2>([^<]*)<span class="week__count">([^<]*)<\/span>/g)].map((m) => [m[1], Boolean(m[2]), m[3]!.trim(), m[4]]);
    expect(weeks).toEqual([
      ['2026-12-07', true, 'Week of 7 December 2026', '4 sessions'],
      ['2026-12-14', true, 'Week of 14 December 2026', '1 session'],
    ]);
    const days = [...en.matchAll(/<h3 class="day__heading" id="day-[\d-]+">([^<]*)<\/h3>/g)].map((m) => m[1]);
    expect(days).toEqual(['Monday 7 December', 'Tuesday 8 December', 'Wednesday 9 December', 'Thursday 10 December', 'Monday 14 December']);
    const order = [...en.matchAll(/name="sessionIds" value="([^"]+)"/g)].map((m) => m[1]);
    expect(order).toEqual(['ai-governance', 'hostile', 'full-room', 'gone-by', 'ministerial']);
    expect(en).toContain('<span class="kind">Ministerial round table</span>');
    expect(en).toContain('Times are shown in <span class="js-display-zone">America/New York (');
    expect(ru).toContain('Неделя с 7 декабря 2026');
    expect(ru).toContain('понедельник, 7 декабря');
  });

  it('opens only the week with the chosen sessions (or the first with seats) in a long programme, each other week one Tab', () => {
    // Prepare: five weeks of one session each.
    const at = (i: number, hour: number) => new Date(Date.UTC(2026, 11, 7 + i * 7, hour)).toISOString();
    const long = Array.from({ length: 5 }, (_, i) => session({ sessionId: `w${i}`, startsAt: at(i, 13), endsAt: at(i, 14) }));
    const open = (page: string) => [...page.matchAll(/<details class="week" id="week-([\d-]+)"[^>]*?( open)?>/g)].filter((m) => m[2]).map((m) => m[1]);
    // Act and assess
    expect(open(registration('en', { sessions: long }))).toEqual(['2026-12-07']);
    expect(open(registration('en', { sessions: long, values: { sessionIds: ['w3'] } }))).toEqual(['2026-12-28']);
    expect(open(registration('en', { sessions: long, filter: { week: '2026-12-21' } }))).toEqual(['2026-12-21']);
  });

  it('narrows the programme by kind and week (?kind=, ?week=) and says how many it shows', () => {
    const page = markup(registration('en', { filter: { kind: 'knowledge-cafe' } }));
    expect([...page.matchAll(/name="sessionIds" value="([^"]+)"/g)].map((m) => m[1])).toEqual(['hostile']);
    expect(page).toContain('1 session shown of 5.');
    expect(page).toContain('<a href="/?lang=en">Show all sessions</a>');
    expect(markup(registration('ar', { filter: { week: '2026-12-14' } }))).toContain('جلسة واحدة معروضة من أصل 5.');
  });

  it('gives the page script each plural form of the choice summary, for the language’s rules', () => {
    const forms = (lang: Language) => JSON.parse(markup(registration(lang)).match(/id="choice-summary" class="choice__summary" data-forms="([^"]+)"/)![1]!.replace(/&quot;/g, '"')) as Record<string, string>;
    expect(forms('en')).toEqual({ '=0': 'No session chosen yet.', one: '# session chosen.', other: '# sessions chosen.' });
    // Arabic's zero is only 0, which '=0' words.
    expect(Object.keys(forms('ar')).sort()).toEqual(['=0', 'few', 'many', 'one', 'other', 'two']);
    expect(forms('ar').two).toBe('اخترت جلستين.');
    expect(forms('ru').few).toBe('Выбрано # сессии.');
  });

  it('lists ten stakeholder groups and every country, named in the page language', () => {
    // Act
    const page = registration('es');

    // Assess
    const select = (name: string) => page.match(new RegExp(`<select id="field-${name}"[\\s\\S]*?</select>`))?.[0] ?? '';
    expect(tags(select('stakeholderType'), 'option')).toHaveLength(11);
    expect(select('stakeholderType')).toContain('>Sociedad civil<');
    expect(tags(select('country'), 'option').length).toBeGreaterThan(240);
    expect(select('country')).toContain('<option value="DE">Alemania</option>');
    expect(select('country').indexOf('Alemania')).toBeLessThan(select('country').indexOf('Zambia'));
  });
});

describe('pages in six languages', () => {
  const pages = (lang: Language) => ({
    registration: registration(lang, { errors: [{ field: 'consent', code: 'x', message: 'x' }] }),
    answer: answered(lang),
    manage: manage(lang, { notice: 'cancelled' }),
    message: standardMessagePage(lang, 'forbidden'),
  });

  it('renders every page without a leftover placeholder', () => {
    for (const lang of languages) {
      for (const [name, page] of Object.entries(pages(lang))) {
        expect(markup(page), `${lang} ${name}`).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('marks Arabic pages right to left and every page with its language', () => {
    for (const lang of languages) {
      for (const [name, page] of Object.entries(pages(lang))) {
        expect(page, `${lang} ${name}`).toContain(`<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">`);
      }
    }
  });

  it('offers a skip link to the main content and a language switcher on every page', () => {
    // Act
    const page = registration('zh');

    // Assess
    expect(page).toContain('<a class="skip-link" href="#main">跳到主要内容</a>');
    expect(page).toContain('<main id="main"');
    expect(page).toContain('<a href="?lang=ar" lang="ar" hreflang="ar">العربية</a>');
    expect(page).toContain('<span aria-current="true" lang="zh">中文</span>');
  });

  it('names every session kind and stakeholder group in every language', () => {
    for (const lang of languages) {
      for (const kind of sessionKinds) expect(pageText.kind(lang, kind)).not.toMatch(/^kind\./);
    }
    expect(pageText.kind('ar', 'hackathon')).toBe('هاكاثون');
    expect(pageText.stakeholder('zh', 'civil-society')).toBe('民间社会');
  });

  it('words seat counts with each language’s plural forms', () => {
    expect(pageText.seatsLeft('en', 1)).toBe('1 seat left');
    expect(pageText.seatsLeft('en', 12)).toBe('12 seats left');
    expect(['ru 1', 'ru 3', 'ru 5', 'ru 21'].map((c) => pageText.seatsLeft('ru', Number(c.split(' ')[1])))).toEqual([
      'Осталось 1 место',
      'Осталось 3 места',
      'Осталось 5 мест',
      'Осталось 21 место',
    ]);
    expect([0, 1, 2, 3, 11, 100].map((n) => pageText.seatsLeft('ar', n))).toEqual([
      'لا توجد مقاعد متبقية',
      'مقعد واحد متبقٍ',
      'مقعدان متبقيان',
      `${new Intl.NumberFormat('ar').format(3)} مقاعد متبقية`,
      `${new Intl.NumberFormat('ar').format(11)} مقعدًا متبقيًا`,
      `${new Intl.NumberFormat('ar').format(100)} مقعد متبقٍ`,
    ]);
  });
});

describe('answer page', () => {
  it('states each session’s outcome with what happens next and where the mail went, and never carries the manage link', () => {
    // Act
    const page = answered('en');

    // Assess
    expect(page).toContain('>Confirmed<');
    expect(page).toContain('>Waiting list, position 3<');
    expect(page).toContain('>Pending approval<');
    expect(page).toContain('The session is full. If a seat becomes free');
    expect(page).toContain('The organisers will review your registration');
    expect(page).toContain('We have sent a mail to a•••@example.org.');
    expect(page).toContain('Only the owner of the address receives it.');
    expect(page).not.toContain('/me?token=');
    expect(page).not.toContain('Manage my registrations');
    expect(markup(page)).not.toContain('lang-switch');
  });

  it('names an unknown session by its id, escaped', () => {
    // Prepare
    const odd = { ...answer, sessions: [{ sessionId: 'x<y', status: 'confirmed' as const }], mailedTo: '<b>•••@example.org' };

    // Act
    const page = answerPage({ lang: 'en', answer: odd, sessions: new Map(), timeZone: 'UTC', forumTimeZone: FORUM_ZONE });

    // Assess
    expect(page).toContain('Session x&lt;y');
    expect(page).toContain('&lt;b&gt;•••@example.org');
  });
});

describe('manage page', () => {
  it('puts the token, escaped, into every form, with the exact routes and fields', () => {
    // Act
    const page = manage('en');

    // Assess
    const all = forms(page);
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const form of all) {
      expect(form).toMatch(/^<form method="post" action="\/me\//);
      expect(form).toContain('<input type="hidden" name="token" value="eyJwIjoicC0xIn0.sig&quot;&amp;&lt;x&gt;">');
    }
    const fieldsOf = (action: string) =>
      all
        // The forms post to their route with the page's language (?lang=), so an answer keeps it.
        .filter((form) => form.startsWith(`<form method="post" action="${action}"`) || form.startsWith(`<form method="post" action="${action}?lang=`))
        .map((form) => [...new Set([...tags(form, 'input'), ...tags(form, 'select')].map((tag) => attr(tag, 'name')))].sort());
    expect(fieldsOf('/me/cancel')).toEqual([
      ['sessionId', 'token'],
      ['sessionId', 'token'],
      ['sessionId', 'token'],
      ['sessionId', 'token'],
    ]);
    expect(fieldsOf('/me/offers/accept')).toEqual([['sessionId', 'token']]);
    expect(fieldsOf('/me/sessions')).toEqual([['sessionIds', 'token']]);
    expect(fieldsOf('/me/preferences')).toEqual([['language', 'reminders', 'timeZone', 'token']]);
    expect(fieldsOf('/me/erase')).toEqual([['confirm', 'token']]);
    expect(page).toContain('href="/me/export?token=eyJwIjoicC0xIn0.sig%22%26%3Cx%3E"');
    expect(page).toContain('href="/me?token=eyJwIjoicC0xIn0.sig%22%26%3Cx%3E&amp;lang=fr"');
  });

  it('shows an offer with its deadline in the registrant’s zone and an Accept button', () => {
    // Act
    const page = manage('en');

    // Assess: 12:00 UTC is 21:00 in Tokyo.
    expect(page).toMatch(/A seat is free for you until Tue,? 8 Dec 2026, 21:00 GMT\+9\./);
    expect(page).toContain('Accept the seat<span class="visually-hidden"> – Session full-room</span>');
    expect(page).toContain('>Waiting list, position 7<');
  });

  it('escapes the registrant’s details and the session titles', () => {
    // Act
    const page = manage('en');

    // Assess
    expect(page).not.toContain(HOSTILE_NAME);
    expect(page).not.toContain('<b>Digital</b>');
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('labels every control and reflects the preferences', () => {
    // Act
    const page = manage('ar');

    // Assess
    for (const control of visibleControls(page)) expect(labelTargets(page), control).toContain(attr(control, 'id'));
    expect(page).toContain('<option value="Asia/Tokyo" selected>');
    expect(page).toContain('<option value="en" lang="en" selected>English</option>');
    expect(visibleControls(page).find((tag) => attr(tag, 'id') === 'pref-reminders')).toMatch(/\schecked/);
    expect(new Set(ids(page)).size).toBe(ids(page).length);
  });

  it('shows a known notice in a status box and ignores any other text', () => {
    // Act
    const known = manage('fr', { notice: 'cancelled' });
    const asText = manage('en', { notice: 'Preferences saved.' });
    const crafted = manage('en', { notice: 'Your account is locked, call +1 555' });

    // Assess
    expect(known).toContain('<div class="notice" role="status"><p>Inscription annulée.</p></div>');
    expect(asText).toContain('<div class="notice" role="status"><p>Preferences saved.</p></div>');
    expect(crafted).not.toContain('role="status"');
    expect(crafted).not.toContain('locked');
  });

  it('links errors to the preference and erase controls', () => {
    // Act
    const page = manage('en', { errors: [{ field: 'confirm', code: 'custom', message: 'Tick the box to confirm.' }] });

    // Assess
    expect(page).toContain('<a href="#erase-confirm">Tick the box to confirm.</a>');
    expect(visibleControls(page).find((tag) => attr(tag, 'id') === 'erase-confirm')).toContain('aria-invalid="true"');
  });
});

describe('message page and layout', () => {
  it('escapes title and message and keeps the page in its language', () => {
    // Act
    const page = messagePage({ lang: 'ru', title: '<h1>x', message: HOSTILE_NAME, status: 'error' });

    // Assess
    expect(page).toContain('&lt;h1&gt;x');
    expect(page).not.toContain(HOSTILE_NAME);
    expect(page).toContain('message-box--error');
  });

  it('keeps a script from ending its element early', () => {
    // Act
    const page = pageLayout({ lang: 'en', title: 't', body: html`<p>b</p>`, script: 'var s = "</script><b>";' });

    // Assess
    expect(page).toContain('var s = "<\\/script><b>";');
    expect(page.match(/<\/script>/g)).toHaveLength(1);
  });
});

describe('programme grouping', () => {
  it('puts a session early on Monday in the forum zone into that Monday’s week', () => {
    // Sunday 23:30 UTC is Monday 00:30 in Zurich.
    expect(isoWeekStart('2026-12-13T23:30:00Z', FORUM_ZONE)).toBe('2026-12-14');
    expect(isoWeekStart('2026-12-13T23:30:00Z', 'UTC')).toBe('2026-12-07');
    expect(isoWeekStart('2026-12-20T22:59:00Z', FORUM_ZONE)).toBe('2026-12-14');
  });

  it('orders sessions by date under the days of the registrant’s zone, in the weeks of the forum’s', () => {
    // Act: in New York, the café at 09:00Z on 8 December is still 04:00 that day; the exhibition at 08:00Z
    // on 10 December is 03:00 that day.
    const weeks = programmeByDay(programme, FORUM_ZONE, 'America/New_York');

    // Assess
    expect(weeks.map((week) => [week.weekStart, week.count])).toEqual([
      ['2026-12-07', 4],
      ['2026-12-14', 1],
    ]);
    expect(weeks[0]!.days.map((day) => [day.day, day.sessions.map((s) => s.sessionId)])).toEqual([
      ['2026-12-07', ['ai-governance']],
      ['2026-12-08', ['hostile']],
      ['2026-12-09', ['full-room']],
      ['2026-12-10', ['gone-by']],
    ]);
    // In Tokyo, the session at 13:00Z on 7 December falls on the 7th at 22:00, the café on the 8th at 18:00.
    expect(programmeByDay(programme, FORUM_ZONE, 'Pacific/Kiritimati')[0]!.days[0]!.day).toBe('2026-12-08');
  });
});

describe('page artifacts', () => {
  it('writes each page in English and Arabic for a person to look at', () => {
    // Prepare
    const dir = join(import.meta.dirname, '..', 'artifacts', 'pages');
    mkdirSync(dir, { recursive: true });
    const errors = [
      { field: 'email', code: 'invalid_format', message: 'Invalid email address' },
      { field: 'consent', code: 'invalid_value', message: 'Please agree to the processing of your data to register.' },
    ];

    // Act
    for (const lang of ['en', 'ar'] as const) {
      const files: Record<string, string> = {
        registration: registration(lang),
        'registration-errors': registration(lang, { values: { name: HOSTILE_NAME, email: 'not-an-email', sessionIds: ['ai-governance'] }, errors }),
        answer: answered(lang),
        manage: manage(lang, { notice: 'accepted' }),
        'message-403': standardMessagePage(lang, 'forbidden'),
        'message-404': standardMessagePage(lang, 'notFound'),
        'message-410': standardMessagePage(lang, 'gone'),
      };
      for (const [name, page] of Object.entries(files)) writeFileSync(join(dir, `${name}.${lang}.html`), page);
    }

    // Assess
    expect(registration('en').length).toBeGreaterThan(1000);
  });
});
