import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiUrl, drain, futureSession, importSessions, mailedLink, mails, postJson, registrationBody, uniqueId } from '../support/api.ts';
import { SCREENSHOTS as shots, axeViolations, browserForFile } from '../support/browser.ts';

const browser = browserForFile();

/** The answer (or refused) page of a form post: the page that /registrations renders. */
const atRegistrations = (url: URL) => url.pathname === '/registrations';
/** A refused form is shown again by GET /?draft=… (Post/Redirect/Get). */
const atRefusedForm = (url: URL) => url.pathname === '/' && url.searchParams.has('draft');

/** Ticks a session as a visitor does: its week, a disclosure, is opened first when it is closed. */
async function choose(page: Page, sessionId: string) {
  const week = page.locator('details.week', { has: page.locator(`#session-${sessionId}`) });
  if ((await week.getAttribute('open')) === null) await week.locator('summary').click();
  await page.check(`#session-${sessionId}`);
}

async function fillForm(page: Page, input: { lang: string; email: string; sessionIds: string[] }) {
  await page.fill('#field-name', 'Fatima Al-Hassan');
  await page.fill('#field-email', input.email);
  await page.fill('#field-organisation', 'Telecommunications Regulatory Authority');
  await page.selectOption('#field-stakeholderType', 'regulator');
  await page.selectOption('#field-country', 'JO');
  await page.selectOption('#field-language', input.lang);
  await page.selectOption('#field-timeZone', 'Asia/Amman');
  for (const id of input.sessionIds) await choose(page, id);
  await page.check('#field-consent');
}

describe('registering in a browser', () => {
  it('fills the form in English, gets the answer page, opens the manage link from the mail and cancels a session', async () => {
    // Prepare
    const first = futureSession({ capacity: 30 });
    const second = futureSession({ capacity: 30 });
    await importSessions(first, second);
    const email = `${uniqueId('fatima')}@example.org`;
    const page = await browser().newPage({ viewport: { width: 1200, height: 1600 } });

    // Act 1: the registration form, keyboard and mouse as a visitor would
    await page.goto(`${apiUrl()}/?lang=en`);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await fillForm(page, { lang: 'en', email, sessionIds: [first.sessionId, second.sessionId] });
    await page.screenshot({ path: path.join(shots, 'register-en.png'), fullPage: true });
    await Promise.all([page.waitForURL(atRegistrations), page.click('form[action="/registrations"] > button[type="submit"]')]);

    // Assess 1: the answer page names both sessions and where the mail went, and never carries the manage link
    await page.screenshot({ path: path.join(shots, 'answer-en.png'), fullPage: true });
    const answer = await page.content();
    expect(answer).toContain(first.title.en);
    expect(await page.locator('a[href*="/me?token="]').count()).toBe(0);
    expect(answer).not.toContain('token=');
    expect(answer).toContain(`We have sent a mail to ${email.slice(0, 1)}•••@example.org.`);

    // Act 2: the manage link from the confirmation mail
    await drain();
    const [mail] = await mails(email);
    const link = /https?:\/\/\S+\/me\?token=[\w.%-]+/.exec(mail!.body.text ?? '')![0].replace(/^https?:\/\/[^/]+/, apiUrl());
    await page.goto(link);
    await page.screenshot({ path: path.join(shots, 'manage-en.png'), fullPage: true });
    const cancelButton = page.locator(`form[action^="/me/cancel"]:has(input[name="sessionId"][value="${first.sessionId}"]) button`);
    // A step before the irreversible change: what is left and what follows, a button and a way back
    await Promise.all([page.waitForURL((url) => url.pathname === '/me/cancel'), cancelButton.click()]);
    await page.screenshot({ path: path.join(shots, 'cancel-confirm-en.png'), fullPage: true });
    expect(await page.locator('h1').textContent()).toBe('Cancel your registration?');
    expect(await page.content()).toContain(first.title.en);
    expect(await page.locator('main a[href^="/me?token="]', { hasText: 'Keep it' }).count()).toBe(1);
    // post/redirect/get: confirming redirects to the manage page with a notice
    await Promise.all([page.waitForURL((url) => url.pathname === '/me' && url.searchParams.has('notice')), page.click('form[action^="/me/cancel"] button[type="submit"]')]);
    await page.screenshot({ path: path.join(shots, 'manage-after-cancel-en.png'), fullPage: true });

    // Assess 2: the session is cancelled, the other one stays
    const view = (await (await fetch(link, { headers: { accept: 'application/json' } })).json()) as { registrations: Array<{ sessionId: string; status: string }> };
    expect(view.registrations.find((r) => r.sessionId === first.sessionId)?.status).toBe('cancelled');
    expect(view.registrations.find((r) => r.sessionId === second.sessionId)?.status).toBe('confirmed');
    expect(await page.locator('[role="status"]').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('fills the form in Arabic, right to left, and gets the answer page in Arabic', async () => {
    const session = futureSession({ capacity: 30 });
    await importSessions(session);
    const email = `${uniqueId('fatima-ar')}@example.org`;
    const page = await browser().newPage({ viewport: { width: 1200, height: 1600 } });
    await page.goto(`${apiUrl()}/?lang=ar`);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    await fillForm(page, { lang: 'ar', email, sessionIds: [session.sessionId] });
    await page.screenshot({ path: path.join(shots, 'register-ar.png'), fullPage: true });
    await Promise.all([page.waitForURL(atRegistrations), page.click('form[action="/registrations"] > button[type="submit"]')]);
    await page.screenshot({ path: path.join(shots, 'answer-ar.png'), fullPage: true });
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.content()).toContain(session.title.ar!);
    await drain();
    expect((await mails(email))[0]!.subject).toContain('تم استلام التسجيل');
    await page.close();
  });

  it('shows a refused form again, filled in, with an error summary linked to the fields', async () => {
    const session = futureSession({ capacity: 30 });
    await importSessions(session);
    const page = await browser().newPage({ viewport: { width: 1200, height: 1600 } });
    await page.goto(`${apiUrl()}/?lang=fr`);
    await fillForm(page, { lang: 'fr', email: 'not-an-email', sessionIds: [session.sessionId] });
    await page.uncheck('#field-consent');
    await Promise.all([page.waitForURL(atRefusedForm), page.click('form[action="/registrations"] > button[type="submit"]')]);
    await page.screenshot({ path: path.join(shots, 'refused-fr.png'), fullPage: true });
    expect(await page.inputValue('#field-name')).toBe('Fatima Al-Hassan');
    expect(await page.getAttribute('#field-email', 'aria-invalid')).toBe('true');
    expect(await page.locator('[role="alert"] a[href="#field-email"]').count()).toBe(1);
    expect(await page.locator('[role="alert"] a[href="#field-consent"]').count()).toBe(1);
    // Another language keeps what was typed and words the problems in it; Back and Forward post nothing again.
    await Promise.all([page.waitForURL(atRefusedForm), page.click('a[lang="ar"]')]);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.inputValue('#field-name')).toBe('Fatima Al-Hassan');
    expect(await page.inputValue('#field-email')).toBe('not-an-email');
    expect(await page.getAttribute('#field-email', 'aria-invalid')).toBe('true');
    expect(await page.locator('[role="alert"]').innerText()).toMatch(/[\u0600-\u06FF]/);
    await page.screenshot({ path: path.join(shots, 'refused-then-ar.png'), fullPage: true });
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    await page.goBack();
    await page.goForward();
    expect(posts).toEqual([]);
    expect(await page.inputValue('#field-name')).toBe('Fatima Al-Hassan');
    await page.close();
  });

  it.each(['en', 'ar', 'zh'] as const)('finds sessions in a long programme in %s: by week and kind, day by day, and warns when two chosen ones overlap', async (lang) => {
    // Prepare: a week of its own a year ahead, with a workshop and a café at the same time and one later.
    const monday = new Date(Date.UTC(new Date().getUTCFullYear() + 1, 0, 1, 12));
    monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7) + 7 * (['en', 'ar', 'zh'].indexOf(lang) + 1));
    const at = (days: number, hours: number) => new Date(monday.getTime() + days * 86_400_000 + hours * 3_600_000).toISOString().replace('.000Z', '+00:00');
    const workshop = futureSession({ startsAt: at(1, -2), endsAt: at(1, 0) });
    const cafe = futureSession({ kind: 'knowledge-cafe', title: { en: 'Open data café', fr: 'Café des données ouvertes', es: 'Café de datos abiertos', ru: 'Кафе открытых данных', zh: '开放数据咖啡馆', ar: 'مقهى البيانات المفتوحة' }, startsAt: at(1, -1), endsAt: at(1, 1) });
    const later = futureSession({ startsAt: at(3, 0), endsAt: at(3, 1) });
    await importSessions(workshop, cafe, later);
    const week = new Date(monday.getTime()).toISOString().slice(0, 10);
    const page = await browser().newPage({ viewport: { width: 1200, height: 1600 } });

    // Act 1: the week asked for by the filters' GET form, as without JavaScript
    await page.goto(`${apiUrl()}/?lang=${lang}&week=${week}&tz=UTC`);

    // Assess 1: only that week, open, its days under headings, the sessions in start order
    const boxes = page.locator('input[name="sessionIds"]');
    const ids = await Promise.all(Array.from({ length: await boxes.count() }, (_, i) => boxes.nth(i).getAttribute('value')));
    const mine = [workshop.sessionId, cafe.sessionId, later.sessionId];
    expect(ids.filter((id) => mine.includes(id!))).toEqual(mine);
    expect(await page.locator('details.week').count()).toBe(1);
    expect(await page.locator('details.week[open]').getAttribute('data-week')).toBe(week);
    const dayOf = (id: string) => page.locator('section.day', { has: page.locator(`#session-${id}`) }).getAttribute('data-day');
    expect(await dayOf(workshop.sessionId)).toBe(await dayOf(cafe.sessionId));
    expect(await dayOf(later.sessionId)).not.toBe(await dayOf(workshop.sessionId));

    // Act 2: two sessions that overlap, then the kind filter (at once, without a reload)
    await page.check(`#session-${workshop.sessionId}`);
    await page.check(`#session-${cafe.sessionId}`);
    const summary = await page.locator('#choice-summary').textContent();
    const overlaps = await page.locator('#choice-overlaps li').allTextContents();
    await page.screenshot({ path: path.join(shots, `programme-overlap-${lang}.png`), fullPage: true });
    await page.selectOption('#filter-kind', 'knowledge-cafe');

    // Assess 2: the count in the language's words, the overlap named, the other kind hidden, ticks kept
    expect(summary).toBe({ en: '2 sessions chosen.', ar: 'اخترت جلستين.', zh: '已选择 2 场会议。' }[lang]);
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]).toContain(cafe.title[lang]!);
    expect(await page.locator(`#session-${workshop.sessionId}`).isVisible()).toBe(false);
    expect(await page.locator(`#session-${cafe.sessionId}`).isVisible()).toBe(true);
    expect(await page.isChecked(`#session-${workshop.sessionId}`)).toBe(true);
    await page.screenshot({ path: path.join(shots, `programme-filtered-${lang}.png`), fullPage: true });
    // Act 3: times in a zone 14 hours ahead, without a reload: the café's day heading follows it.
    const cafeDay = page.locator('section.day', { has: page.locator(`#session-${cafe.sessionId}`) }).locator('.day__heading');
    const before = await cafeDay.textContent();
    await page.selectOption('#filter-zone', 'Pacific/Kiritimati');
    const locale = (await page.locator('[data-locale]').first().getAttribute('data-locale'))!;
    const weekday = new Intl.DateTimeFormat(locale, { timeZone: 'Pacific/Kiritimati', weekday: 'long' }).format(new Date(cafe.startsAt));
    await expect.poll(() => cafeDay.textContent()).not.toBe(before);
    expect(await cafeDay.textContent()).toContain(weekday);
    await page.close();
  });

  it('takes a keyboard from the first field to the submit button in a few Tabs per week of sessions', async () => {
    const page = await browser().newPage({ viewport: { width: 1200, height: 1600 } });
    await page.goto(`${apiUrl()}/?lang=en`);
    const weeks = await page.locator('details.week').count();
    const open = await page.locator('details.week[open] input[name="sessionIds"]:not([disabled])').count();
    await page.focus('#field-name');
    let tabs = 0;
    while (tabs < 2000 && (await page.locator('form[action="/registrations"] > button[type="submit"]:focus').count()) === 0) {
      await page.keyboard.press('Tab');
      tabs++;
    }
    // The fields, the skip link, the filters, one Tab per closed week, the open week's sessions, consent.
    expect(tabs).toBeLessThanOrEqual(6 + 1 + 4 + weeks + open + 2);
    // And the skip link jumps past the whole list.
    await page.focus('a.skip-inline');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').getAttribute('id')).toBe('field-consent');
    await page.close();
  });

  it.each(['en', 'ar', 'zh'] as const)('has nothing axe finds (WCAG 2.2 AA and best practices) on any page a registrant meets, in %s', async (lang) => {
    // Prepare: a registrant with a seat (the manage page then shows the join link, the calendar and the feed).
    const session = futureSession({ capacity: 30 });
    await importSessions(session);
    const body = registrationBody([session.sessionId], { language: lang });
    expect((await postJson('/registrations', body)).status).toBe(201);
    const { token } = await mailedLink(body.email);
    const context = await browser().newContext({ viewport: { width: 1200, height: 1600 } });
    const page = await context.newPage();
    const found: Record<string, string[]> = {};
    const check = async (name: string) => {
      const violations = await axeViolations(page);
      if (violations.length) found[name] = violations;
    };
    try {
      // Act + Assess: every kind of page, as a browser reaches it.
      await page.goto(`${apiUrl()}/?lang=${lang}`);
      await check('registration');
      await fillForm(page, { lang, email: 'not-an-email', sessionIds: [session.sessionId] });
      await Promise.all([page.waitForURL(atRefusedForm), page.click('form[action="/registrations"] > button[type="submit"]')]);
      await check('refused registration');
      await page.fill('#field-email', `${uniqueId('axe')}@example.org`);
      await Promise.all([page.waitForURL(atRegistrations), page.click('form[action="/registrations"] > button[type="submit"]')]);
      await check('answer');
      await page.goto(`${apiUrl()}/me?token=${encodeURIComponent(token)}&lang=${lang}`);
      await check('manage');
      await Promise.all([page.waitForLoadState(), page.click(`form[action^="/me/cancel"] button[type="submit"]`)]);
      await check('cancel confirmation step');
      await page.goto(`${apiUrl()}/me?token=${encodeURIComponent(token)}&lang=${lang}`);
      await Promise.all([page.waitForLoadState(), page.click(`form[action^="/me/sessions"] button[type="submit"]`)]);
      await check('refused manage form');
      await page.goto(`${apiUrl()}/unsubscribe?token=x&lang=${lang}`);
      await check('refused link');
      await page.goto(`${apiUrl()}/no-such-page?lang=${lang}`);
      await check('404');
    } finally {
      await context.close();
    }
    expect(found).toEqual({});
  });
});
