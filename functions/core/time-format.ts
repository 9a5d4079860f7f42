import type { Language } from './model.ts';

const LOCALES: Record<Language, string> = { ar: 'ar', en: 'en-GB', es: 'es', fr: 'fr', ru: 'ru', zh: 'zh-CN' };

/** The locale Intl formats each language with (en-GB: a 24-hour clock and day-first dates). */
export function localeOf(lang: Language): string {
  return LOCALES[lang];
}

const DATE_TIME: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };

/**
 * Creating an Intl.DateTimeFormat costs far more than using one, and a fan-out formats the same few
 * (language, zone) pairs for thousands of recipients, so formatters are kept per language, zone and kind.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(lang: Language, timeZone: string, kind: 'range' | 'instant' | 'zone'): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${kind}`;
  let format = formatters.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'range' ? { ...DATE_TIME, timeZone } : kind === 'instant' ? { ...DATE_TIME, timeZone, timeZoneName: 'short' } : { timeZone, timeZoneName: 'short' };
    format = new Intl.DateTimeFormat(LOCALES[lang], options);
    formatters.set(key, format);
  }
  return format;
}

/** "Mon 7 Dec 2026, 14:00 CET": one instant in one zone, with the zone's name. */
export function formatInstant(at: string, timeZone: string, lang: Language): string {
  return formatter(lang, timeZone, 'instant').format(new Date(at));
}

/** A start–end range in one time zone and language, e.g. "Mon 7 Dec 2026, 14:00–15:30". */
export function formatRange(startsAt: string, endsAt: string, timeZone: string, lang: Language): string {
  return formatter(lang, timeZone, 'range').formatRange(new Date(startsAt), new Date(endsAt));
}

/** The zone's short name at that instant ("CET", "GMT+9"), to label times unambiguously. */
export function zoneLabel(at: string, timeZone: string, lang: Language): string {
  const parts = formatter(lang, timeZone, 'zone').formatToParts(new Date(at));
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's UTC offset at an instant, in minutes, and as "+05:30" ('en-US' with `longOffset` pins the
 * "GMT+05:30" shape, or a bare "GMT" for UTC itself).
 */
export function utcOffset(timeZone: string, at: Date): { minutes: number; text: string } {
  let format = offsetFormats.get(timeZone);
  if (!format) offsetFormats.set(timeZone, (format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })));
  const name = format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value;
  if (name === undefined) throw new Error('Intl did not return a time zone name');
  if (name === 'GMT') return { minutes: 0, text: '+00:00' };
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (match === null) throw new Error(`Unexpected time zone offset format: ${name}`);
  const magnitude = Number(match[2]) * 60 + Number(match[3]);
  return { minutes: match[1] === '-' ? -magnitude : magnitude, text: `${match[1]}${match[2]}:${match[3]}` };
}
