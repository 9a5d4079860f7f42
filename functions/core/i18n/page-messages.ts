import type { Language, RegistrationStatus, sessionKinds, stakeholderTypes } from '../model.ts';
import type { Availability } from '../sessions-view.ts';
import { isRightToLeft } from './messages.ts';
import pages, { type PagesKey } from './compiled/pages.js';

export { isRightToLeft };

type SessionKind = (typeof sessionKinds)[number];
type StakeholderType = (typeof stakeholderTypes)[number];

/** The notices the manage page shows after a change (`/me?token=…&notice=cancelled`). */
export const noticeKeys = ['cancelled', 'added', 'accepted', 'preferences', 'details', 'confirmed', 'nothingToConfirm'] as const;
export type NoticeKey = (typeof noticeKeys)[number];

/** The ready-made message pages (403, 404, 410, 500 and the ends of the erase and unsubscribe flows). */
export const messageKinds = ['forbidden', 'notFound', 'methodNotAllowed', 'gone', 'tooLarge', 'erased', 'unsubscribed', 'linkSent', 'signedOut', 'confirmed', 'nothingToConfirm', 'tooMany', 'blocked', 'error'] as const;
export type MessageKind = (typeof messageKinds)[number];

/**
 * Keys every catalog must hold because code builds them from a domain list: adding a session kind,
 * stakeholder type, status or notice without its text is a type error here.
 */
type DerivedKey =
  | `kind.${SessionKind}`
  | `stakeholder.${StakeholderType}`
  | `status.${RegistrationStatus}`
  | `availability.${Exclude<Availability, 'open'>}`
  | `notice.${NoticeKey}`
  | `message.${MessageKind}.title`
  | `message.${MessageKind}.body`;

/**
 * Texts of the web pages in the six UN languages: ICU MessageFormat, section `pages` of
 * `catalogues/<lang>.json`, compiled by `npm run messages` (see messages.ts). Counts are ICU plurals
 * (`seats.left`), so each language has the forms its CLDR rules need (Arabic all six, Russian few and
 * many); test/unit/catalogues.test.ts checks every language has them.
 */
export type PageMessageKey = PagesKey;

/** Keys code builds from domain lists must all be in the catalogue: a kind, status or notice without its text is a type error here. */
const derivedKeysExist: DerivedKey extends PageMessageKey ? true : never = true;
void derivedKeysExist;

/**
 * The BCP 47 locale for dates and numbers (kept equal to time-format.ts, so the times the page script
 * re-renders in the browser read exactly like the server's).
 */
const LOCALES: Record<Language, string> = { ar: 'ar', en: 'en-GB', es: 'es', fr: 'fr', ru: 'ru', zh: 'zh-CN' };

export function pageLocale(lang: Language): string {
  return LOCALES[lang];
}

/** Each language named in itself, as language pickers show them. */
const ENDONYMS: Record<Language, string> = { ar: 'العربية', en: 'English', es: 'Español', fr: 'Français', ru: 'Русский', zh: '中文' };

/** Looks up a page text and fills its placeholders; values go in as given (the `html` template escapes). */
export function tp(lang: Language, key: PageMessageKey, values: Record<string, string | number> = {}): string {
  return pages[lang][key](values);
}

function isNoticeKey(value: string): value is NoticeKey {
  return (noticeKeys as readonly string[]).includes(value);
}

/** Texts built from domain values. */
export const pageText = {
  status(lang: Language, status: RegistrationStatus, position?: number): string {
    return tp(lang, `status.${status}`, position === undefined ? {} : { position: new Intl.NumberFormat(LOCALES[lang]).format(position) });
  },
  kind(lang: Language, kind: SessionKind): string {
    return tp(lang, `kind.${kind}`);
  },
  stakeholder(lang: Language, type: StakeholderType): string {
    return tp(lang, `stakeholder.${type}`);
  },
  seatsLeft(lang: Language, count: number): string {
    return tp(lang, 'seats.left', { count });
  },
  /** "12 seats left", "Waiting list", "Requires approval" or "Closed". */
  availability(lang: Language, session: { availability: Availability; seatsLeft: number }): string {
    return session.availability === 'open' ? tp(lang, 'seats.left', { count: session.seatsLeft }) : tp(lang, `availability.${session.availability}`);
  },
  /**
   * The text of a notice given as a key (`cancelled` or `notice.cancelled`) or as the text of one in
   * any language; undefined for anything else, so a crafted `?notice=` cannot put words on the page.
   */
  notice(lang: Language, notice: string): string | undefined {
    const key = notice.startsWith('notice.') ? notice.slice('notice.'.length) : notice;
    if (isNoticeKey(key)) return tp(lang, `notice.${key}`);
    for (const catalog of Object.values(pages)) {
      const known = noticeKeys.find((candidate) => catalog[`notice.${candidate}`]() === notice);
      if (known) return tp(lang, `notice.${known}`);
    }
    return undefined;
  },
  message(lang: Language, kind: MessageKind): { title: string; message: string } {
    return { title: tp(lang, `message.${kind}.title`), message: tp(lang, `message.${kind}.body`) };
  },
  languageName(lang: Language): string {
    return ENDONYMS[lang];
  },
};
