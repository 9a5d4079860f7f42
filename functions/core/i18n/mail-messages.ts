import type { Language } from '../model.ts';
import mail, { type MailKey } from './compiled/mail.js';

/**
 * The texts of mails (confirmations, status changes, notices, reminders) in the six UN languages, apart
 * from the texts of pages and errors (messages.ts), so a function that only answers HTTP requests does
 * not carry the mails' texts and a mail consumer does not carry the pages'. ICU MessageFormat, section
 * `mail` of `catalogues/<lang>.json`, compiled by `npm run messages` (see messages.ts).
 */
export type MailMessageKey = MailKey;

/** Looks up a mail text and fills its placeholders; values are inserted as given (escape for HTML after). */
export function t(lang: Language, key: MailMessageKey, values: Record<string, string | number> = {}): string {
  return mail[lang][key](values);
}
