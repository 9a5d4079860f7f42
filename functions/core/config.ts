import * as z from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads the environment through one zod schema, once per cold start. Fails fast with the names of the
 * variables that are missing or malformed, so a misconfigured function never half-works.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Variables shared by several functions; each handler picks the ones it needs. */
export const configFields = {
  TABLE_NAME: z.string().min(1),
  IDEMPOTENCY_TABLE_NAME: z.string().min(1),
  EVENT_BUS_NAME: z.string().min(1),
  PUBLIC_URL: z.url(),
  MAIL_FROM: z.email(),
  CONFIGURATION_SET: z.string().min(1).optional(),
  TOKEN_SECRET_ARN: z.string().min(1),
  FORUM_TIME_ZONE: z.string().min(1).default('Europe/Zurich'),
  ORGANISER_ADDRESSES: z.string().min(1),
} as const;
