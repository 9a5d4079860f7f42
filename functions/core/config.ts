import * as z from 'zod';
import { settingFields } from './settings.ts';

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

/**
 * Variables shared by several functions; each handler picks the ones it needs. The resource and identity
 * variables are declared here; the tunable settings (with their defaults) come from ./settings.ts.
 */
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
  /** What the front door sends in core/http FRONT_DOOR_HEADER (a Secrets Manager value in AWS). */
  ORIGIN_SECRET: z.string().min(16),
  /** The API's route keys, space-separated (`GET / POST /registrations …`): the `$default` route tells a wrong method from an unknown path. */
  ROUTE_KEYS: z.string().min(1),
  ...settingFields,
} as const;

/**
 * Reads the named variables (each with the schema and default declared above), once per cold start;
 * fails fast naming what is missing or malformed.
 */
export function configOf<const K extends keyof typeof configFields>(...names: K[]): z.infer<z.ZodObject<Pick<typeof configFields, K>>> {
  const shape = Object.fromEntries(names.map((name) => [name, configFields[name]])) as Pick<typeof configFields, K>;
  return loadConfig(z.object(shape));
}
