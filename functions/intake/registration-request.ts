import * as z from 'zod';
import { countryCode, language, personText, stakeholderType, timeZone } from '../core/model.ts';

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
