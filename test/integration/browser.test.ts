import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiUrl, drain, futureSession, importSessions, mails, uniqueId } from '../support/api.ts';
import { SCREENSHOTS as shots, browserForFile } from '../support/browser.ts';

const browser = browserForFile();

/** The answer (or refused) page of a form post: the page that /registrations renders. */
const atRegistrations = (url: URL) => url.pathname === '/registrations';

async function fillForm(page: Page, input: { lang: string; email: string; sessionIds: string[] }) {
  await page.fill('#field-name', 'Fatima Al-Hassan');
  await page.fill('#field-email', input.email);
  await page.fill('#field-organisation', 'Telecommunications Regulatory Authority');
  await page.selectOption('#field-stakeholderType', 'regulator');
  await page.selectOption('#field-country', 'JO');
  await page.selectOption('#field-language', input.lang);
  await page.selectOption('#field-timeZone', 'Asia/Amman');
  for (const id of input.sessionIds) await page.check(`#session-${id}`);
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
    await Promise.all([page.waitForURL(atRegistrations), page.click('form[action="/registrations"] button[type="submit"]')]);

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
    const cancelButton = page.locator(`form[action="/me/cancel"]:has(input[name="sessionId"][value="${first.sessionId}"]) button`);
    // post/redirect/get: the cancel form redirects to the manage page with a notice
    await Promise.all([page.waitForURL((url) => url.pathname === '/me' && url.searchParams.has('notice')), cancelButton.click()]);
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
    await Promise.all([page.waitForURL(atRegistrations), page.click('form[action="/registrations"] button[type="submit"]')]);
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
    await Promise.all([page.waitForURL(atRegistrations), page.click('form[action="/registrations"] button[type="submit"]')]);
    await page.screenshot({ path: path.join(shots, 'refused-fr.png'), fullPage: true });
    expect(await page.inputValue('#field-name')).toBe('Fatima Al-Hassan');
    expect(await page.getAttribute('#field-email', 'aria-invalid')).toBe('true');
    expect(await page.locator('[role="alert"] a[href="#field-email"]').count()).toBe(1);
    expect(await page.locator('[role="alert"] a[href="#field-consent"]').count()).toBe(1);
    await page.close();
  });
});
