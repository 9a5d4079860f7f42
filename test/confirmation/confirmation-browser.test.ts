import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiUrl, drain, futureSession, importSessions, mails, uniqueId } from '../support/api.ts';
import { SCREENSHOTS as shots, browserForFile } from '../support/browser.ts';

const browser = browserForFile();

const texts = {
  en: { held: 'Check your mail to confirm', button: 'Confirm my registration', done: 'Your registration is confirmed' },
  ar: { held: 'تحقق من بريدك للتأكيد', button: 'تأكيد تسجيلي', done: 'تم تأكيد تسجيلك' },
  zh: { held: '请查收邮件并确认', button: '确认我的注册', done: '您的注册已确认' },
} as const;

describe('address confirmation in a browser', () => {
  for (const lang of ['en', 'ar', 'zh'] as const) {
    it(`registers from the form in ${lang}, is told to confirm by mail, and confirms with the button of the mailed link`, async () => {
      const session = futureSession({ capacity: 30 });
      await importSessions(session);
      const email = `${uniqueId(`held-${lang}`)}@example.org`;
      const page = await browser().newPage({ viewport: { width: 1000, height: 1400 } });
      await page.goto(`${apiUrl()}/?lang=${lang}`);
      await page.fill('#field-name', 'Li Na');
      await page.fill('#field-email', email);
      await page.fill('#field-organisation', 'Ministry of Industry and Information Technology');
      await page.selectOption('#field-stakeholderType', 'government');
      await page.selectOption('#field-country', 'CN');
      await page.selectOption('#field-language', lang);
      await page.selectOption('#field-timeZone', 'Asia/Shanghai');
      // Its week is a disclosure, opened first when a long programme shows it closed.
      const week = page.locator('details.week', { has: page.locator(`#session-${session.sessionId}`) });
      if ((await week.getAttribute('open')) === null) await week.locator('summary').click();
      await page.check(`#session-${session.sessionId}`);
      await page.check('#field-consent');
      await Promise.all([page.waitForURL((url) => url.pathname === '/registrations'), page.click('form[action="/registrations"] > button[type="submit"]')]);

      // The answer: what is held and until when, in the page's language; no link, no token.
      await page.screenshot({ path: path.join(shots, `held-answer-${lang}.png`), fullPage: true });
      expect(await page.textContent('h1')).toBe(texts[lang].held);
      expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(await page.content()).not.toContain('token=');

      // The mailed link opens a page that only asks; its button confirms.
      await drain();
      const [holdMail] = await mails(email);
      const link = /https?:\/\/\S+\/confirm\?token=[\w.%-]+/.exec(holdMail!.body.text ?? '')![0].replace(/^https?:\/\/[^/]+/, apiUrl());
      await page.goto(link);
      await page.screenshot({ path: path.join(shots, `confirm-page-${lang}.png`), fullPage: true });
      expect(await page.textContent('form[action^="/confirm"] button')).toBe(texts[lang].button);
      await page.click('form[action^="/confirm"] button');
      await page.waitForLoadState();
      await page.screenshot({ path: path.join(shots, `confirmed-${lang}.png`), fullPage: true });
      expect(await page.textContent('h1')).toBe(texts[lang].done);
      await drain();
      expect(await mails(email)).toHaveLength(2);
      await page.close();
    });
  }
});
