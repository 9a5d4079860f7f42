import type * as z from 'zod';
import { ValidationError, type FieldProblem } from '../errors.ts';
import { isMessageKey, t, type MessageKey } from '../i18n/messages.ts';
import type { Language } from '../model.ts';

/** What went wrong with a field, as people say it (the validation library's own words are for developers). */
type Problem = 'required' | 'tooLong' | 'tooShort' | 'tooFew' | 'tooMany' | 'choose' | 'number' | 'wholeNumber' | 'numberTooSmall' | 'numberTooBig' | 'email' | 'dateTime' | 'format' | 'invalidValue';

function problemOf(issue: z.core.$ZodRawIssue): { problem: Problem; values: Record<string, number> } {
  const origin = 'origin' in issue ? String(issue.origin) : '';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return { problem: 'required', values: {} };
      return { problem: issue.expected === 'number' || issue.expected === 'int' ? 'number' : 'invalidValue', values: {} };
    case 'too_small': {
      const min = Number(issue.minimum);
      if (origin === 'array' || origin === 'set') return { problem: min <= 1 ? 'required' : 'tooFew', values: { min } };
      if (origin === 'number' || origin === 'bigint') return { problem: 'numberTooSmall', values: { min } };
      return { problem: min <= 1 ? 'required' : 'tooShort', values: { min } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (origin === 'array' || origin === 'set') return { problem: 'tooMany', values: { max } };
      if (origin === 'number' || origin === 'bigint') return { problem: 'numberTooBig', values: { max } };
      return { problem: 'tooLong', values: { max } };
    }
    case 'invalid_format':
      if (issue.format === 'email') return { problem: 'email', values: {} };
      if (issue.format === 'datetime') return { problem: 'dateTime', values: {} };
      return { problem: 'format', values: {} };
    case 'invalid_value':
      return { problem: 'choose', values: {} };
    case 'not_multiple_of':
      return { problem: 'wholeNumber', values: {} };
    default:
      return { problem: 'invalidValue', values: {} };
  }
}

/** The registration form's own wording where a field needs it (`error.name.required`, `error.sessionIds.tooMany`…). */
const FIELD_PROBLEM_KEYS: Record<string, Partial<Record<Problem, MessageKey>>> = {
  name: { required: 'error.name.required' },
  organisation: { required: 'error.organisation.required' },
  email: { required: 'error.email.required' },
  stakeholderType: { required: 'error.stakeholderType.choose', choose: 'error.stakeholderType.choose', invalidValue: 'error.stakeholderType.choose' },
  country: { required: 'error.country.choose', choose: 'error.country.choose', tooShort: 'error.country.choose', tooLong: 'error.country.choose', invalidValue: 'error.country.choose' },
  language: { required: 'error.language.choose', choose: 'error.language.choose', invalidValue: 'error.language.choose' },
  timeZone: { required: 'error.timeZone.choose', tooLong: 'error.timeZone.choose', invalidValue: 'error.timeZone.choose' },
  sessionIds: { required: 'error.sessionIds.tooFew', tooFew: 'error.sessionIds.tooFew', tooMany: 'error.sessionIds.tooMany' },
  sessionId: { required: 'error.sessionIds.tooFew' },
  confirm: { required: 'error.confirmTick', choose: 'error.confirmTick', invalidValue: 'error.confirmTick' },
};

/**
 * A field's problem in the request's language: a refinement's own key, then the field's wording for the
 * problem, then the problem's general wording ("Use at most 200 characters", plural rules and all).
 */
export function fieldMessage(issue: z.core.$ZodRawIssue, lang: Language): string {
  const field = String(issue.path?.[0] ?? '');
  if (field === 'consent') return t(lang, 'error.consentRequired');
  if (issue.code === 'invalid_format' && issue.format === 'regex' && field !== 'sessionId') return t(lang, 'error.controlCharacters');
  if (issue.code === 'custom') {
    // A refinement that names its message: `params: { key: 'invisibleCharacters' }` -> error.invisibleCharacters.
    const key = `error.${String(issue.params?.key)}`;
    return t(lang, isMessageKey(key) ? key : 'error.invalidValue');
  }
  const { problem, values } = problemOf(issue);
  // An item of a list (a session id among `sessionIds`) is worded as the item, not as the list.
  const ownKey = issue.path && issue.path.length > 1 && typeof issue.path[1] === 'number' ? undefined : FIELD_PROBLEM_KEYS[field]?.[problem];
  return t(lang, ownKey ?? `error.${problem}`, values);
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
  const result = schema.safeParse(input, { error: (issue) => fieldMessage(issue, lang) });
  if (!result.success) throw new ValidationError(fieldProblems(result.error, lang), t(lang, 'error.invalid'));
  return result.data;
}
