import * as z from 'zod';
import { countryCode, language, stakeholderType, timeZone, visibleText } from '../core/model.ts';

/** Control characters (CR, LF, tab, NUL…) never belong in a name and must never reach a mail header. */
const NO_CONTROL_CHARS = /^[^\p{Cc}\u2028\u2029]*$/u;

/**
 * A name or organisation, which organisers read (exports, approvals, digest): trimmed, then no control
 * characters and no bidi controls or invisible characters (core/model.ts INVISIBLE_CHARACTERS), refused
 * with a field problem, never stripped.
 */
const personText = (max: number) => visibleText(z.string().trim().min(1).max(max).regex(NO_CONTROL_CHARS));

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
