import * as z from 'zod';
import { RequestError, type FieldProblem } from '../core/errors.ts';
import { parseInput } from '../core/http/validate.ts';
import { countryCode, language, personText, stakeholderType, timeZone, type Language } from '../core/model.ts';

export const MAX_SESSIONS_PER_SUBMISSION = 20;

/** The body of `POST /registrations` (JSON, or the form's urlencoded fields mapped to the same names). */
export const registrationRequest = z
  .object({
    name: personText(200),
    // z.email() refuses display names ("Ann <a@b.org>"), several @ and CR/LF, so the address is header-safe.
    email: z.email().max(254),
    organisation: personText(200),
    stakeholderType,
    country: countryCode,
    language,
    timeZone,
    sessionIds: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(MAX_SESSIONS_PER_SUBMISSION)
      .refine((ids) => new Set(ids).size === ids.length, { params: { key: 'duplicateSessions' } }),
    consent: z.literal(true),
  })
  .strict();

export type RegistrationRequest = z.infer<typeof registrationRequest>;

/** What a form sends as text: checkboxes arrive as "on" (JSON must send `true`); the rest is left to the schema. */
export const formValues = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export const fromForm = (values: z.infer<typeof formValues>) =>
  typeof values.consent === 'string' ? { ...values, consent: ['on', 'true', 'yes', '1'].includes(values.consent) } : values;

/** The problems of a form's values, worded in `lang` (a kept draft shown again in another language). */
export function formProblems(values: z.infer<typeof formValues>, lang: Language): FieldProblem[] {
  try {
    parseInput(registrationRequest, fromForm(values), lang);
    return [];
  } catch (error) {
    return error instanceof RequestError ? error.fields : [];
  }
}
