import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inMemorySession } from '../../functions/core/in-memory-session.ts';
import { fillTemplate, type BulkSend } from '../../functions/core/mail/bulk-mailer.ts';
import type { OutgoingMail } from '../../functions/core/mail/mailer.ts';
import type { Language, Participant, Session } from '../../functions/core/model.ts';
import { sendDigest } from '../../functions/digest/digest.ts';
import { createTokenSigner } from '../../functions/identity/tokens.ts';
import { feedUrl, manageUrl, unsubscribeUrl } from '../../functions/identity/links.ts';
import { holdMail } from '../../functions/intake/hold-mail.ts';
import { registrationMail } from '../../functions/intake/registration-mail.ts';
import { visibleDifferences, visibleState, type PendingNotice } from '../../functions/programme/change-session.ts';
import { noticeContent, noticeLetters } from '../../functions/programme/send-notices.ts';
import { eraseParticipant } from '../../functions/registrant/erase-participant.ts';
import { mailManageLink } from '../../functions/registrant/self-service.ts';
import { reminderContent, reminderLetter } from '../../functions/reminders/send-reminders.ts';
import { statusMail, type StatusMailKind } from '../../functions/waitlist/status-mail.ts';
import { browserForFile, SCREENSHOTS } from '../support/browser.ts';

/**
 * Every kind of mail Convene sends, built by the code that sends it, in Arabic, English and Chinese, with
 * the longest values a forum meets (signed links of real length, a long join link, long names), rendered
 * in Chromium at a phone's 375 px: none may scroll sideways.
 */
const browser = browserForFile();
const PHONE = { width: 375, height: 800 };
const NOW = new Date('2027-01-20T08:00:00Z');
const context = { from: 'forum@example.org', publicUrl: 'https://forum.example.org', forumTimeZone: 'Europe/Zurich' };
const tokens = createTokenSigner('x'.repeat(32));
const token = (purpose: 'manage' | 'unsubscribe' | 'feed' | 'confirm') => tokens.sign({ purpose, subject: 'p-0123456789abcdef0123456789abcdef', expiresAt: new Date('2027-07-01T00:00:00Z'), generation: 3 });
const longJoin = 'https://meet.example.org/j/98765432109?pwd=QmFzZTY0RW5jb2RlZFBhc3N3b3JkVGhhdElzVmVyeUxvbmdJbmRlZWQ&uname=participant';

const session: Session = inMemorySession({
  sessionId: 'hl-dialogue-digital-cooperation-2027',
  title: {
    en: 'High-level dialogue on digital cooperation, inclusive connectivity and the financing of broadband infrastructure',
    ar: 'حوار رفيع المستوى بشأن التعاون الرقمي والاتصال الشامل وتمويل البنية التحتية للنطاق العريض',
    zh: '关于数字合作、包容性连接以及宽带基础设施融资的高级别对话',
  },
  kind: 'high-level-dialogue',
  startsAt: '2027-01-26T13:00:00Z',
  endsAt: '2027-01-26T14:30:00Z',
  capacity: 500,
  joinUrl: longJoin,
  version: 3,
  seatsTaken: 10,
  changedAt: '2027-01-19T10:00:00Z',
});
const participantIn = (lang: Language): Participant => ({
  participantId: 'p-0123456789abcdef0123456789abcdef',
  name: { en: 'Maria-Fernanda Constantinopoulou-Rodríguez', ar: 'عبد الرحمن بن عبد العزيز الهاشمي', zh: '欧阳明远' }[lang as 'en'] ?? 'Amina Diallo',
  email: 'maria-fernanda.constantinopoulou-rodriguez@ministry-of-digital-economy.example.gov',
  organisation: 'Ministry of Digital Economy',
  stakeholderType: 'government',
  country: 'SN',
  language: lang,
  timeZone: { en: 'America/Argentina/Buenos_Aires', ar: 'Asia/Riyadh', zh: 'Asia/Shanghai' }[lang as 'en'] ?? 'UTC',
  createdAt: '2027-01-10T08:00:00Z',
});

/** A bulk template as the recipient gets it (the mailers fill it the same way). */
function filled(content: Omit<BulkSend, 'entries'>, data: Record<string, string>): { html: string; text: string } {
  return { html: fillTemplate(content.template.html, data), text: fillTemplate(content.template.text, data) };
}

async function mailsIn(lang: Language): Promise<Array<[string, { html: string; text: string }]>> {
  const participant = participantIn(lang);
  const links = { manageUrl: manageUrl(context.publicUrl, token('manage')), feedUrl: feedUrl(context.publicUrl, token('feed')) };
  const common = { name: participant.name, nameHtml: participant.name, manageUrl: links.manageUrl, manageUrlHtml: links.manageUrl.replace(/&/g, '&amp;') };
  const out: Array<[string, { html: string; text: string }]> = [];
  out.push(['registration', registrationMail({ participant, outcomes: [{ sessionId: session.sessionId, status: 'confirmed' }], sessions: new Map([[session.sessionId, session]]), ...links, context, at: NOW })]);
  out.push(['hold', holdMail({ participant, sessions: [{ sessionId: session.sessionId, status: 'confirmed' }], sessionsById: new Map([[session.sessionId, session]]), holdExpiresAt: '2027-01-20T09:00:00Z', confirmUrl: `${context.publicUrl}/confirm?token=${token('confirm')}`, context })]);
  const changes: Array<[string, StatusMailKind]> = [
    ['cancelled-seat', { kind: 'cancelled', heldSeat: true }],
    ['cancelled-place', { kind: 'cancelled', heldSeat: false }],
    ['offer', { kind: 'offer', offerExpiresAt: '2027-01-21T08:00:00Z' }],
    ['offer-expired', { kind: 'offer-expired' }],
    ['promoted', { kind: 'promoted' }],
    ['approved', { kind: 'approved', status: 'confirmed' }],
    ['rejected', { kind: 'rejected' }],
  ];
  for (const [name, change] of changes) out.push([name, statusMail({ change, participant, session, ...links, context, at: NOW })]);
  const notice: PendingNotice = { sessionId: session.sessionId, baseline: { ...visibleState(session), startsAt: '2027-01-25T13:00:00Z', endsAt: '2027-01-25T14:30:00Z' }, version: 4, dueAt: NOW.toISOString(), reason: 'The moderator is unavailable' };
  for (const [name, state] of [['notice-moved', session], ['notice-cancelled', { ...session, status: 'cancelled' as const }]] as const) {
    const letter = noticeLetters(state, notice, visibleDifferences(notice.baseline, visibleState(state)), context);
    out.push([name, filled(noticeContent(lang, state, context, NOW), { ...common, ...letter(lang, participant.timeZone, { seat: true, sawBefore: true }) })]);
  }
  const unsubscribe = unsubscribeUrl(context.publicUrl, token('unsubscribe'));
  out.push(['reminder', filled(reminderContent(lang), { ...common, ...reminderLetter(lang, participant.timeZone, session, 60), unsubscribeUrl: unsubscribe, unsubscribeUrlHtml: unsubscribe })]);
  const sent: OutgoingMail[] = [];
  const mailer = { send: async (mail: OutgoingMail) => (sent.push(mail), { messageId: `m${sent.length}` }) };
  await eraseParticipant(
    {
      lifecycle: { store: { listParticipantRegistrations: async () => [] } } as never,
      participants: { getParticipant: async () => participant, getSessions: async () => new Map(), anonymise: async () => undefined },
      mailer,
      clock: { now: () => NOW },
      context,
    },
    participant.participantId,
  );
  out.push(['erased', sent.pop()!]);
  await mailManageLink(
    { directory: { findParticipantIdByEmail: async () => participant.participantId }, profiles: { getParticipant: async () => participant }, budget: { take: async () => true }, mailer, tokens: async () => tokens, clock: { now: () => NOW }, publicUrl: context.publicUrl, from: context.from, tokenTtlDays: 180 },
    participant.email,
  );
  out.push(['link', sent.pop()!]);
  if (lang === 'en') {
    await sendDigest(
      {
        stats: { sum: async () => ({ 'new|total': 1234, [`new|session|${session.sessionId}`]: 17, 'new|country|SN': 3 }) },
        sessions: { listSessions: async () => [session] },
        offers: { openOfferCounts: async () => new Map() },
        log: { claim: async () => ({}), complete: async () => undefined, release: async () => undefined, isOptedOut: async () => false },
        mailer,
        clock: { now: () => NOW },
        organisers: ['programme-office@example.org'],
        forumTimeZone: context.forumTimeZone,
        publicUrl: context.publicUrl,
        unsubscribeUrl: () => unsubscribe,
      },
      new Date('2027-01-25T07:00:00Z'),
    );
    out.push(['digest', sent.pop()!]);
  }
  return out;
}

describe('every mail on a phone', () => {
  for (const lang of ['en', 'ar', 'zh'] as const) {
    it(`fits 375 px without sideways scrolling, in ${lang}, every kind, links as links and written out`, async () => {
      const page = await browser().newPage({ viewport: PHONE });
      const dir = path.join(SCREENSHOTS, 'mails');
      mkdirSync(dir, { recursive: true });
      const wide: string[] = [];
      try {
        for (const [name, mail] of await mailsIn(lang)) {
          await page.setContent(mail.html);
          const width = Number(await page.evaluate('Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)'));
          if (width > PHONE.width) wide.push(`${name}: ${width} px`);
          expect(await page.evaluate('document.documentElement.getAttribute("dir")'), name).toBe(lang === 'ar' ? 'rtl' : 'ltr');
          // Every address in the text part is a link in the HTML, and the other way round.
          const hrefs = (await page.evaluate('[...document.querySelectorAll("a[href^=http]")].map((a) => a.getAttribute("href"))')) as string[];
          for (const href of hrefs) expect(mail.text, `${name}: ${href}`).toContain(href);
          for (const url of mail.text.match(/https:\/\/\S+/g) ?? []) expect(hrefs, `${name}: ${url}`).toContain(url);
          await page.screenshot({ path: path.join(dir, `${name}-${lang}.png`), fullPage: true });
          writeFileSync(path.join(dir, `${name}-${lang}.html`), mail.html);
        }
      } finally {
        await page.close();
      }
      expect(wide).toEqual([]);
    });
  }
});
