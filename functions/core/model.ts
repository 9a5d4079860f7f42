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

export const timeZone = z.string().max(64).refine(isTimeZone, { message: 'Unknown time zone' });

export const countryCode = z
  .string()
  .length(2)
  .transform((value) => value.toUpperCase())
  .refine((value) => isCountryCode(value), { message: 'Unknown country code' });

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

/** Text in several languages; English is required so every page and mail has a fallback. */
export const localisedText = z
  .object({
    en: z.string().min(1).max(300),
    ar: z.string().min(1).max(300).optional(),
    es: z.string().min(1).max(300).optional(),
    fr: z.string().min(1).max(300).optional(),
    ru: z.string().min(1).max(300).optional(),
    zh: z.string().min(1).max(300).optional(),
  })
  .strict();
export type LocalisedText = z.infer<typeof localisedText>;

export function pickText(text: LocalisedText, lang: Language): string {
  return text[lang] ?? text.en;
}

const isoWithOffset = z.iso.datetime({ offset: true });

/** A session as organisers declare it (programme file, admin API). */
export const sessionInput = z
  .object({
    sessionId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lowercase letters, digits and dashes'),
    title: localisedText,
    kind: sessionKind,
    startsAt: isoWithOffset,
    endsAt: isoWithOffset,
    capacity: z.number().int().min(0).max(100_000),
    restricted: z.boolean().optional(),
    joinUrl: z.url().optional(),
    description: descriptionText.optional(),
    claimWindowHours: z.number().min(0).max(24 * 14).optional(),
  })
  .strict()
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), { message: 'endsAt must be after startsAt', path: ['endsAt'] });
export type SessionInput = z.infer<typeof sessionInput>;

/** The fields organisers may change with `update` (times go through `reschedule`, status through `cancel`). */
export const sessionFields = z.object({
  title: localisedText.optional(),
  joinUrl: z.url().optional(),
  capacity: z.number().int().min(0).max(100_000).optional(),
  description: descriptionText.optional(),
  restricted: z.boolean().optional(),
  claimWindowHours: z.number().min(0).max(24 * 14).optional(),
});

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
  joinUrl: z.string().optional(),
  description: descriptionText.optional(),
  claimWindowHours: z.number().optional(),
  status: z.enum(['scheduled', 'cancelled']),
  version: counter,
  seatsTaken: counter,
  waitlistCount: counter,
  pendingCount: counter,
  waitlistSeq: counter,
});
export type Session = z.infer<typeof storedSession>;

export const registrationStatuses = ['confirmed', 'waitlisted', 'pending', 'offered', 'cancelled', 'rejected', 'expired'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

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
});
export type Registration = z.infer<typeof registration>;
export const storedRegistration = registration.extend({ offerExpiresAt: z.string().optional() });
export type StoredRegistration = z.infer<typeof storedRegistration>;
