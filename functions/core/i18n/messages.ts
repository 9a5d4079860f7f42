import type { Language } from '../model.ts';
import common, { type CommonKey } from './compiled/common.js';

/**
 * Texts of errors and of the unsubscribe page in the six UN languages (mails: mail-messages.ts; the other
 * pages: page-messages.ts). The texts are ICU MessageFormat, in one catalogue per language
 * (`catalogues/<lang>.json`, section `common`), compiled by `npm run messages`; English defines the keys,
 * and test/unit/catalogues.test.ts fails when a language lacks a key, a placeholder or a plural form.
 */
export type MessageKey = CommonKey;

/** Looks up a text and fills its placeholders; values are inserted as given (escape for HTML after). */
export function t(lang: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  return common[lang][key](values);
}

/** True for a key of the catalogues (a zod refinement names its message with `params: { key }`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(common.en, key);
}

export function isRightToLeft(lang: Language): boolean {
  return lang === 'ar';
}
