import type { Language } from './model.ts';

const LOCALES: Record<Language, string> = { ar: 'ar', en: 'en-GB', es: 'es', fr: 'fr', ru: 'ru', zh: 'zh-CN' };

/** A start–end range in one time zone and language, e.g. "Mon 7 Dec 2026, 14:00–15:30". */
export function formatRange(startsAt: string, endsAt: string, timeZone: string, lang: Language): string {
  const format = new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  return format.formatRange(new Date(startsAt), new Date(endsAt));
}

/** The zone's short name at that instant ("CET", "GMT+9"), to label times unambiguously. */
export function zoneLabel(at: string, timeZone: string, lang: Language): string {
  const parts = new Intl.DateTimeFormat(LOCALES[lang], { timeZone, timeZoneName: 'short' }).formatToParts(new Date(at));
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}
