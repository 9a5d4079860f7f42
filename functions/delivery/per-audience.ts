import type { Language } from '../core/model.ts';

/**
 * Memoises per-recipient text that depends only on the recipient's time zone and language (formatted
 * times): a fan-out to 10,000 people has a few hundred such pairs, so Intl formats each pair once.
 */
export function perZoneAndLanguage<T>(make: (timeZone: string, lang: Language) => T): (timeZone: string, lang: Language) => T {
  const made = new Map<string, T>();
  return (timeZone, lang) => {
    const key = `${lang}|${timeZone}`;
    let value = made.get(key);
    if (value === undefined) made.set(key, (value = make(timeZone, lang)));
    return value;
  };
}
