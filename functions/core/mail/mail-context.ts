import { html, type SafeHtml } from '../html.ts';
import { t, type MailMessageKey } from '../i18n/mail-messages.ts';
import type { Language, Participant, Session } from '../model.ts';
import { formatRange, zoneLabel } from '../time-format.ts';
import type { Organiser } from './calendar.ts';
import { senderName } from './mailer.ts';

/**
 * What every mail to a registrant needs to know of the forum: sender (address and configured display
 * name), public URL, the forum's zone.
 */
export type MailContext = { from: string; fromName?: string | undefined; publicUrl: string; forumTimeZone: string };

/** The forum as its calendars' ORGANIZER: the same name and address as the mail's From. */
export function organiserOf(context: Pick<MailContext, 'from' | 'fromName'>, lang: Language): Organiser {
  return { name: senderName({ address: context.from, name: context.fromName }, lang), email: context.from };
}

/** "14:00–15:30 (your time, JST) · 06:00–07:30 (forum time, CET)", in the registrant's language. */
export function sessionTimes(session: Session, participant: Participant, forumTimeZone: string): string {
  const lang = participant.language;
  return t(lang, 'mail.times', {
    local: formatRange(session.startsAt, session.endsAt, participant.timeZone, lang),
    zone: zoneLabel(session.startsAt, participant.timeZone, lang),
    forum: formatRange(session.startsAt, session.endsAt, forumTimeZone, lang),
    forumZone: zoneLabel(session.startsAt, forumTimeZone, lang),
  });
}

/** What the registration mail needs to read. */
export interface MailDataReader {
  getParticipant(participantId: string): Promise<Participant | undefined>;
  getSessions(sessionIds: readonly string[]): Promise<Map<string, Session>>;
}


/**
 * A sentence of the catalogue with its `{url}` as a link (HTML-escaped around it), wrapped anywhere, so a
 * long link never widens a phone's screen; the text part writes the same sentence out.
 */
export function sentenceWithLink(lang: Language, key: MailMessageKey, url: string): SafeHtml {
  const [before, after] = t(lang, key, { url: '\u0000' }).split('\u0000');
  return html`${before ?? ''}<a href="${url}" dir="ltr" style="word-break:break-all;">${url}</a>${after ?? ''}`;
}

/** "Link to join: <a>…</a>". */
export const joinLink = (lang: Language, url: string): SafeHtml => sentenceWithLink(lang, 'mail.join', url);

/**
 * The calendar feed's offer: a button that subscribes (`webcal:`, which Apple Calendar, Outlook and
 * Thunderbird open as a subscription) and the https address written out for calendars that take a URL
 * (Google Calendar's "From URL").
 */
export function feedParagraph(lang: Language, feedUrl: string): SafeHtml {
  const webcal = feedUrl.replace(/^https:/, 'webcal:');
  return html`<p>${sentenceWithLink(lang, 'mail.feed', feedUrl)}</p>
<p><a href="${webcal}" style="display:inline-block;background:#0b5cad;color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;">${t(lang, 'mail.feedButton')}</a></p>`;
}
