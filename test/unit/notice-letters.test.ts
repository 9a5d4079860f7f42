import { describe, expect, it } from 'vitest';
import { inMemorySession } from '../../functions/core/in-memory-session.ts';
import { fillTemplate } from '../../functions/core/mail/bulk-mailer.ts';
import type { Session } from '../../functions/core/model.ts';
import { visibleDifferences, visibleState, type PendingNotice } from '../../functions/programme/change-session.ts';
import { changesIn, noticeContent, noticeLetters } from '../../functions/programme/send-notices.ts';

const context = { from: 'forum@example.org', publicUrl: 'https://forum.example.org', forumTimeZone: 'Europe/Zurich' };
const before: Session = inMemorySession({ sessionId: 's1', title: { en: 'Open data', fr: 'Données ouvertes' }, startsAt: '2027-02-01T09:00:00Z', endsAt: '2027-02-01T10:00:00Z' });
const notice = (session: Session): PendingNotice => ({ sessionId: 's1', baseline: visibleState(before), version: session.version, dueAt: '2027-01-20T08:10:00Z', changedAt: '2027-01-20T08:00:00Z' });
const letterFor = (after: Session, reader: { seat: boolean; sawBefore: boolean }, lang: 'en' | 'fr' = 'en') =>
  noticeLetters(after, notice(after), visibleDifferences(visibleState(before), visibleState(after)), context)(lang, 'Europe/London', reader);

describe('the words of a notice, per reader', () => {
  it('mentions a retitling only to readers whose language’s title changed', () => {
    const after = { ...before, title: { en: 'Open data, revisited', fr: 'Données ouvertes' }, version: 2 };
    const changes = visibleDifferences(visibleState(before), visibleState(after));
    expect(changesIn('en', visibleState(before), visibleState(after), changes)).toEqual(['title']);
    expect(changesIn('fr', visibleState(before), visibleState(after), changes)).toEqual([]);
    expect(letterFor(after, { seat: true, sawBefore: true }).bodyText).toContain('now called “Open data, revisited”');
  });

  it('tells the old time only to those who saw it, and says the entry moves only to those who have one', () => {
    const after = { ...before, startsAt: '2027-02-01T13:00:00Z', endsAt: '2027-02-01T14:00:00Z', version: 2 };
    const seen = letterFor(after, { seat: true, sawBefore: true });
    expect(seen.subject).toBe('Session moved: Open data');
    expect(seen.bodyText).toMatch(/It was .*09:00.*; it is now .*13:00/);
    expect(seen.bodyText).toContain('moves the entry in your calendar');
    const late = letterFor(after, { seat: false, sawBefore: false });
    expect(late.bodyText).toMatch(/This session has moved\. It is now .*13:00/);
    expect(late.bodyText).not.toContain('09:00');
    expect(late.bodyText).not.toContain('calendar');
  });

  it('says "brings up to date", not "moves", when only the link changed, and gives the link as a link', () => {
    const after = { ...before, joinUrl: 'https://meet.example.org/new', version: 2 };
    const letter = letterFor(after, { seat: true, sawBefore: true });
    expect(letter.bodyText).toContain('brings the entry in your calendar up to date');
    expect(letter.bodyText).not.toContain('moves the entry');
    expect(letter.bodyHtml).toContain('<a href="https://meet.example.org/new"');
    expect(letter.bodyText).toContain('Link to join: https://meet.example.org/new');
    // The link is the seat's: someone waiting for a seat is not given it, nor mailed about it.
    expect(letterFor(after, { seat: false, sawBefore: true }).bodyHtml).not.toContain('meet.example.org');
    expect(changesIn('en', visibleState(before), visibleState(after), visibleDifferences(visibleState(before), visibleState(after)), false)).toEqual([]);
  });

  it('gives a cancelled session’s date and time in the reader’s zone, and the removal only to seat holders', () => {
    const after = { ...before, status: 'cancelled' as const, version: 2 };
    const holder = letterFor(after, { seat: true, sawBefore: true });
    expect(holder.bodyText).toMatch(/It was to take place .*1 Feb 2027.*09:00/);
    expect(holder.bodyText).toContain('removes it from your calendar');
    expect(letterFor(after, { seat: false, sawBefore: true }).bodyText).not.toContain('calendar');
  });

  it('never reads organiser text as template syntax', () => {
    const after = { ...before, title: { en: 'Q&A {{name}} {{#if x}}' }, version: 2 };
    const letter = letterFor(after, { seat: true, sawBefore: true });
    const content = noticeContent('en', after, context, new Date('2027-01-20T08:10:00Z'));
    const mail = fillTemplate(content.template.html, { ...letter, name: 'Ada', nameHtml: 'Ada', manageUrlHtml: 'https://forum.example.org/me' });
    expect(mail).toContain('Q&amp;A {{name}} {{#if x}}');
    expect(fillTemplate(content.template.subject, letter)).toBe('Session updated: Q&A {{name}} {{#if x}}');
  });
});
