import * as z from 'zod';
import ar from 'zod/v4/locales/ar.js';
import en from 'zod/v4/locales/en.js';
import es from 'zod/v4/locales/es.js';
import fr from 'zod/v4/locales/fr.js';
import ru from 'zod/v4/locales/ru.js';
import zh from 'zod/v4/locales/zh-CN.js';
import { ValidationError, type FieldProblem } from '../errors.ts';
import { isMessageKey, t } from '../i18n/messages.ts';
import type { Language } from '../model.ts';

/** zod's own messages in the six languages, imported one by one so a bundle carries no other locale. */
const zodLocales: Record<Language, () => { localeError: z.core.$ZodErrorMap }> = { ar, en, es, fr, ru, zh };
const errorMaps = new Map<Language, z.core.$ZodErrorMap>();
function zodMessage(issue: z.core.$ZodRawIssue, lang: Language): string | undefined {
  let map = errorMaps.get(lang);
  if (!map) errorMaps.set(lang, (map = zodLocales[lang]().localeError));
  const out = map(issue);
  return typeof out === 'string' ? out : out?.message;
}

/** Our own wording where zod's generic message would not tell a registrant what to do. */
function message(issue: z.core.$ZodRawIssue, lang: Language): string | undefined {
  const field = issue.path?.[0];
  if (field === 'consent') return t(lang, 'error.consentRequired');
  if (issue.code === 'invalid_type' && issue.input === undefined) return t(lang, 'error.required');
  if (issue.code === 'invalid_format' && issue.format === 'regex') return t(lang, 'error.controlCharacters');
  // A refinement that names its message: `params: { key: 'invisibleCharacters' }` -> error.invisibleCharacters.
  if (issue.code === 'custom') {
    const key = `error.${String(issue.params?.key)}`;
    if (isMessageKey(key)) return t(lang, key);
  }
  if (issue.code === 'custom' && field === 'sessionIds') return t(lang, 'error.duplicateSessions');
  if (issue.code === 'custom' && field === 'timeZone') return t(lang, 'error.unknownTimeZone');
  if (issue.code === 'custom' && field === 'country') return t(lang, 'error.unknownCountry');
  return zodMessage(issue, lang);
}

/** Turns zod issues into one problem per field, in the request's language. */
export function fieldProblems(error: z.ZodError, lang: Language): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ field: [...issue.path, key].join('.'), code: 'unrecognized_key', message: t(lang, 'error.unknownFields') });
      continue;
    }
    problems.push({ field: issue.path.join('.') || '(body)', code: issue.code, message: issue.message });
  }
  return problems;
}

/**
 * Parses input with a schema and throws a ValidationError (400) listing every field at fault, with
 * messages in `lang`. Nothing is written before this returns.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, lang: Language): z.infer<S> {
  const result = schema.safeParse(input, { error: (issue) => message(issue, lang) });
  if (!result.success) throw new ValidationError(fieldProblems(result.error, lang), t(lang, 'error.invalid'));
  return result.data;
}
