import type { Language } from './model.ts';

const LOCALES: Record<Language, string> = { ar: 'ar', en: 'en-GB', es: 'es', fr: 'fr', ru: 'ru', zh: 'zh-CN' };

/** The locale Intl formats each language with (en-GB: a 24-hour clock and day-first dates). */
export function localeOf(lang: Language): string {
  return LOCALES[lang];
}

const DATE_TIME: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/** "Mon 7 Dec 2026, 14:00 CET": one instant in one zone, with the zone's name. */
export function formatInstant(at: string, timeZone: string, lang: Language): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { ...DATE_TIME, timeZone, timeZoneName: 'short' }).format(new Date(at));
}

/** A start–end range in one time zone and language, e.g. "Mon 7 Dec 2026, 14:00–15:30". */
export function formatRange(startsAt: string, endsAt: string, timeZone: string, lang: Language): string {
  const format = new Intl.DateTimeFormat(LOCALES[lang], { ...DATE_TIME, timeZone });
  return format.formatRange(new Date(startsAt), new Date(endsAt));
}

/** The zone's short name at that instant ("CET", "GMT+9"), to label times unambiguously. */
export function zoneLabel(at: string, timeZone: string, lang: Language): string {
  const parts = new Intl.DateTimeFormat(LOCALES[lang], { timeZone, timeZoneName: 'short' }).formatToParts(new Date(at));
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}
