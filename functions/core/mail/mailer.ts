import type { Language } from '../model.ts';
import { t } from '../i18n/messages.ts';
import type { CalendarFile } from './calendar.ts';

/** One mail to one recipient. Subjects and headers never carry registrant-typed text. */
export type OutgoingMail = {
  to: string;
  /** The mail's language: the sender's display name is the forum's name in it. */
  lang: Language;
  subject: string;
  html: string;
  text: string;
  /** Calendar invitations, at most one per session (see mime.ts for how a mail carries them). */
  calendar?: CalendarFile[];
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
  headers?: Array<{ name: string; value: string }>;
  /** SES message tags, used to trace delivery events back to a participant and a kind of mail. */
  tags?: Record<string, string>;
};

/** The sending port. The SES adapter is the only module that imports the SES SDK. */
export interface Mailer {
  /** Sends one mail; throws on any refusal so that the caller's retry policy applies. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** SES message tags: names and values of ASCII letters, digits, `_` and `-`, at most 256 characters. */
export function sesTags(tags: Record<string, string>): Array<{ Name: string; Value: string }> {
  const safe = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
  return Object.entries(tags).map(([name, value]) => ({ Name: safe(name), Value: safe(value) }));
}

/** Removes CR/LF and other control characters: a defence in depth for anything placed in a header. */
export function headerSafe(value: string): string {
  return value.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ').trim();
}

/** Who mail comes from: the verified address and the display name (`MAIL_FROM_NAME`; empty: the forum's name in each mail's language). */
export type Sender = { address: string; name?: string | undefined };

/** The display name a mail in `lang` carries in From and a calendar in ORGANIZER's CN. */
export function senderName(sender: Sender, lang: Language): string {
  return headerSafe(sender.name || t(lang, 'site.forumName'));
}
