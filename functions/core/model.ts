import * as z from 'zod';
import { isCountryCode } from './countries.ts';

export const languages = ['ar', 'en', 'es', 'fr', 'ru', 'zh'] as const;
export const language = z.enum(languages);
export type Language = z.infer<typeof language>;

export const stakeholderTypes = [
  'government',
  'permanent-mission',
  'regulator',
  'private-sector',
  'academia',
  'civil-society',
  'international-organisation',
  'technical-community',
  'media',
  'other',
] as const;
export const stakeholderType = z.enum(stakeholderTypes);

export const sessionKinds = [
  'thematic-workshop',
  'country-workshop',
  'high-level-policy-session',
  'special-track',
  'knowledge-cafe',
  'hackathon',
  'exhibition',
  'policy-statement',
  'high-level-dialogue',
  'prize-ceremony',
  'ministerial-round-table',
  'action-line-meeting',
] as const;
export const sessionKind = z.enum(sessionKinds);

/** True for names the runtime's ICU knows (IANA zones and their aliases). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z.string().max(64).refine(isTimeZone, { params: { key: 'timeZone.choose' } });

export const countryCode = z
  .string()
  .length(2)
  .transform((value) => value.toUpperCase())
  .refine((value) => isCountryCode(value), { params: { key: 'country.choose' } });

const descriptionText = z
  .object({
    en: z.string().max(2000),
    ar: z.string().max(2000).optional(),
    es: z.string().max(2000).optional(),
    fr: z.string().max(2000).optional(),
    ru: z.string().max(2000).optional(),
    zh: z.string().max(2000).optional(),
  })
  .strict();

/**
 * Characters that change how the text around them is shown without being seen themselves: every Unicode
 * format character (Cf: the bidi controls U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069; the
 * zero-width U+200B–U+200D, U+2060, U+FEFF; the soft hyphen, invisible operators, tags…), lone surrogates
 * (Cs) and the Hangul fillers that render as blanks (U+115F, U+1160, U+3164, U+FFA0). Spaces (Zs), marks
 * (diacritics, harakat) and variation selectors are ordinary text. Control characters (Cc) have their own
 * check and message where a field refuses them.
 */
export const INVISIBLE_CHARACTERS = /[\p{Cf}\p{Cs}\u115F\u1160\u3164\uFFA0]/u;

/** Viramas (canonical combining class 9) of the scripts whose spelling needs a joiner after one. */
const VIRAMA = '\u094D\u09CD\u0A4D\u0ACD\u0B4D\u0BCD\u0C4D\u0CCD\u0D3B\u0D3C\u0D4D\u0DCA\u1039\u17D2\uA8C4\u1B44\uA9C0';
/** Letters of the joining scripts (Arabic, which Persian and Urdu use; Syriac; N'Ko), with their marks. */
const JOINING_LETTER = '[\\p{Script=Arabic}\\p{Script=Syriac}\\p{Script=Nko}]';
/**
 * The zero-width joiners that correct spelling needs, as IDNA's ContextJ rules (RFC 5892, A.1 and A.2)
 * allow them, approximated by script: U+200C or U+200D right after a virama (Devanagari ka + virama +
 * U+200D + ssa; the Malayalam chillu letters), and U+200C between two letters of a joining script (the
 * Persian name Ali-Akbar is written with U+200C between its two parts). Anywhere else they only hide
 * something, and are refused.
 */
const SPELLING_JOINERS = new RegExp(
  `(?<=[${VIRAMA}])[\\u200C\\u200D]|(?<=\\p{L}(?<=${JOINING_LETTER})\\p{M}*)\\u200C(?=\\p{M}*${JOINING_LETTER})`,
  'gu',
);

/** True when the text holds an invisible character that its spelling does not need. */
export const hasInvisibleCharacters = (text: string): boolean => INVISIBLE_CHARACTERS.test(text.replace(SPELLING_JOINERS, ''));

/**
 * Refuses INVISIBLE_CHARACTERS in text that organisers or registrants read (names, organisations, session
 * titles), except the joiners spelling needs (SPELLING_JOINERS): refused, never stripped, worded by
 * validate.ts as `error.invisibleCharacters`. Skipped when the field already failed a check, so a field
 * gets one problem.
 */
export const visibleText = (schema: z.ZodString) =>
  schema.refine((text) => !hasInvisibleCharacters(text), { params: { key: 'invisibleCharacters' }, when: ({ issues }) => issues.length === 0 });

/** Control characters (CR, LF, tab, NUL…) never belong in a name and must never reach a mail header. */
const NO_CONTROL_CHARS = /^[^\p{Cc}\u2028\u2029]*$/u;

/**
 * A name or organisation, which organisers read (exports, approvals, digest): trimmed, then no control
 * characters and no bidi controls or invisible characters (INVISIBLE_CHARACTERS), refused with a field
 * problem, never stripped. The registration form and the manage page's details take the same.
 */
export const personText = (max: number) => visibleText(z.string().trim().min(1).max(max).regex(NO_CONTROL_CHARS));

/** One text per language; English is required so every page and mail has a fallback. */
const localised = (text: z.ZodString) =>
  z
    .object({ en: text, ar: text.optional(), es: text.optional(), fr: text.optional(), ru: text.optional(), zh: text.optional() })
    .strict();

/** Text in several languages, as stored and shown. */
export const localisedText = localised(z.string().min(1).max(300));
export type LocalisedText = z.infer<typeof localisedText>;
/** A session title as organisers give it (programme file, admin API): no invisible or bidi characters. */
const titleInput = localised(visibleText(z.string().min(1).max(300)));

/**
 * True for a join link registrants may be sent to: `https://` and a host, no user name or password, no
 * spaces or control or format characters. `http:`, `javascript:`, `data:` and every other scheme are
 * false. Refused on input (validate.ts words it as `error.httpsUrl`), never rewritten.
 */
export function isHttpsUrl(value: string): boolean {
  if (!/^https:\/\//i.test(value) || /[\s\p{Cc}\p{Cf}]/u.test(value)) return false;
  const url = URL.parse(value);
  return url !== null && url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '';
}
const joinUrl = z.string().max(2048).refine(isHttpsUrl, { params: { key: 'httpsUrl' }, when: ({ issues }) => issues.length === 0 });

export function pickText(text: LocalisedText, lang: Language): string {
  return text[lang] ?? text.en;
}

const isoWithOffset = z.iso.datetime({ offset: true });

/** A session as organisers declare it (programme file, admin API). */
export const sessionInput = z
  .object({
    sessionId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Use at most 64 lowercase letters, digits and dashes, starting with a letter or a digit.'),
    title: titleInput,
    kind: sessionKind,
    startsAt: isoWithOffset,
    endsAt: isoWithOffset,
    capacity: z.number().int().min(0).max(100_000),
    restricted: z.boolean().optional(),
    joinUrl: joinUrl.optional(),
    description: descriptionText.optional(),
    claimWindowHours: z.number().min(0).max(24 * 14).optional(),
  })
  .strict()
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), { params: { key: 'endsBeforeStart' }, path: ['endsAt'] });
export type SessionInput = z.infer<typeof sessionInput>;

/** The fields organisers may change with `update` (times go through `reschedule`, status through `cancel`). */
export const sessionFields = z.object({
  title: titleInput.optional(),
  joinUrl: joinUrl.optional(),
  capacity: z.number().int().min(0).max(100_000).optional(),
  description: descriptionText.optional(),
  restricted: z.boolean().optional(),
  claimWindowHours: z.number().min(0).max(24 * 14).optional(),
});

/**
 * What an organiser changes of a session (admin API PATCH): the same fields, where a title or a
 * description names only the languages it changes (the others are kept), so a French translator's edit
 * never replaces the other five.
 */
export const sessionChanges = sessionFields.extend({ title: titleInput.partial().optional(), description: descriptionText.partial().optional() });
export type SessionChanges = z.infer<typeof sessionChanges>;

export const programmeFile = z.object({ sessions: z.array(sessionInput).min(1).max(2000) }).strict();

/**
 * A session as stored: the organisers' fields plus counters maintained on write. Items are parsed with
 * this schema when read (key attributes are dropped, missing counters read as 0), never cast.
 */
const counter = z.coerce.number().int().default(0);
export const storedSession = z.object({
  sessionId: z.string(),
  title: localisedText,
  kind: sessionKind,
  startsAt: z.string(),
  endsAt: z.string(),
  capacity: z.number().int(),
  restricted: z.boolean().optional(),
  // A link stored before links had to be https (a `javascript:` or `http:` one) is never shown or mailed.
  joinUrl: z.string().transform((url) => (isHttpsUrl(url) ? url : undefined)).optional(),
  description: descriptionText.optional(),
  claimWindowHours: z.number().optional(),
  status: z.enum(['scheduled', 'cancelled']),
  /** When organisers last changed the session (a calendar feed's Last-Modified); absent before its first change. */
  changedAt: z.string().optional(),
  version: counter,
  seatsTaken: counter,
  waitlistCount: counter,
  pendingCount: counter,
  waitlistSeq: counter,
  /**
   * Of `seatsTaken`, `waitlistCount` and `pendingCount`, those held for addresses not confirmed yet
   * (address confirmation): counted so nobody else takes a held seat, but never as registrations, and a
   * held waiting-list place never keeps a free seat from a newcomer (nobody can offer it to the hold).
   */
  seatsHeld: counter,
  waitlistHeld: counter,
  pendingHeld: counter,
});
export type Session = z.infer<typeof storedSession>;

/**
 * `held`: taken from the public form for an address that has not confirmed it yet; `heldAs` says what the
 * registration becomes on confirmation (its seat, waiting-list place or approval slot is counted already).
 * Nothing but confirmation, expiry, or erasure acts on a held registration: no mail, no reminder, no offer.
 */
export const registrationStatuses = ['confirmed', 'waitlisted', 'pending', 'offered', 'cancelled', 'rejected', 'expired', 'held'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

/** The session counter each kind of place is counted in, and the one that counts it apart while held. */
export const PLACE_COUNTER = { confirmed: 'seatsTaken', waitlisted: 'waitlistCount', pending: 'pendingCount' } as const;
export const HELD_COUNTER = { confirmed: 'seatsHeld', waitlisted: 'waitlistHeld', pending: 'pendingHeld' } as const;

/** A participant profile as stored (key attributes dropped on read). */
export const participant = z.object({
  participantId: z.string(),
  // An erased profile holds none of these; it reads back with them empty.
  name: z.string().default(''),
  email: z.string().default(''),
  organisation: z.string().default(''),
  stakeholderType,
  country: z.string(),
  language,
  timeZone: z.string(),
  createdAt: z.string(),
  /** Set when the registrant stopped reminders (manage page or one-click unsubscribe). */
  remindersOff: z.boolean().optional(),
  /** Set when a hard bounce or a complaint suppressed the address: no mail of any kind goes to it. */
  suppressed: z.boolean().optional(),
  /** Why the address was suppressed (shown in the registrant's export). */
  suppressedReason: z.enum(['bounce', 'complaint']).optional(),
  /** Set once personal data was erased; the profile then holds no name, email or organisation. */
  erasedAt: z.string().optional(),
  /** Raised by "sign out all my links" and by erasure: links signed for an older generation are refused. */
  linkGeneration: z.number().int().min(0).optional(),
  /** When the address was proved by a click in a mail sent to it (address confirmation). */
  addressConfirmedAt: z.string().optional(),
  /** The keys of the answers stored for this participant's submissions, so erasure removes them too. */
  submissionKeys: z.set(z.string()).optional(),
});
export type Participant = z.infer<typeof participant>;

/** A registration as stored; `offerExpiresAt` is set while a freed seat is offered to it. */
export const registration = z.object({
  participantId: z.string(),
  sessionId: z.string(),
  status: z.enum(registrationStatuses),
  waitlistPosition: z.number().int().positive().optional(),
  registeredAt: z.string(),
  updatedAt: z.string(),
  /** While `held`: what confirmation makes of it, until when, and the holds (submissions) whose mail may confirm it. */
  heldAs: z.enum(['confirmed', 'waitlisted', 'pending']).optional(),
  holdExpiresAt: z.string().optional(),
  holdIds: z.set(z.string()).optional(),
  /** While `held`: when the participant's personal data would expire (epoch s) once this hold is confirmed. */
  dataTtl: z.number().int().optional(),
});
export type Registration = z.infer<typeof registration>;
export const storedRegistration = registration.extend({ offerExpiresAt: z.string().optional() });
export type StoredRegistration = z.infer<typeof storedRegistration>;
