import * as z from 'zod';

/**
 * The tunable settings: one declaration each, and the only place their defaults are written.
 *
 * - `schema` parses the value wherever it comes from: a function's environment (always a string), the CDK
 *   context (`-c convene:tokenTtlDays=30` gives a string, cdk.json may give a number or a list), or the
 *   local runtime's environment. An absent value gets the default.
 * - `contextKey` is where `cdk synth`/`cdk deploy` read it; the local runtime reads the variable of the
 *   same name from its own environment (`OFFER_CLAIM_HOURS=0 npm start`).
 * - `meaning` is the README configuration table's text (test/unit/readme.test.ts compares them).
 *
 * Which function receives which setting is declared in infra/topology.ts (`settings` of each function);
 * CDK and the local runtime both pass the declared default explicitly when nothing is set, so a function's
 * environment always shows the value it runs with.
 */
export type SettingDeclaration = {
  contextKey: `convene:${string}`;
  meaning: string;
  schema: z.ZodType<number | number[] | string, unknown>;
};

/** Minutes before a session, as `1440,60` (environment, `-c`), or a number or list of numbers (cdk.json). */
const minuteLeads = z
  .union([z.string(), z.number(), z.array(z.number())])
  .default('1440,60')
  .transform((value) => (typeof value === 'string' ? value.split(',').map((lead) => (lead.trim() === '' ? Number.NaN : Number(lead))) : [value].flat()))
  .pipe(z.array(z.number().int().positive()).min(1));

export const settings = {
  TOKEN_TTL_DAYS: {
    contextKey: 'convene:tokenTtlDays',
    meaning: 'validity of manage links',
    schema: z.coerce.number().int().positive().default(180),
  },
  OFFER_CLAIM_HOURS: {
    contextKey: 'convene:offerClaimHours',
    meaning: "how long a freed seat is held for the next in line (a session's `claimWindowHours` wins; 0 confirms at once)",
    schema: z.coerce.number().min(0).default(24),
  },
  NOTICE_QUIET_MINUTES: {
    contextKey: 'convene:noticeQuietMinutes',
    meaning: 'quiet period that coalesces a burst of edits into one notice',
    schema: z.coerce.number().min(0).default(10),
  },
  REMINDER_LEADS_MINUTES: {
    contextKey: 'convene:reminderLeadsMinutes',
    meaning: 'reminder leads before each session',
    schema: minuteLeads,
  },
  MAIL_BUDGET_PER_HOUR: {
    contextKey: 'convene:mailBudgetPerHour',
    meaning: 'mails that public actions (registration, "mail me my link") may send to one address per hour',
    schema: z.coerce.number().int().positive().default(3),
  },
  ADDRESS_CONFIRMATION: {
    contextKey: 'convene:addressConfirmation',
    meaning: '`on`: a public-form submission holds its places until the address is confirmed from a mail sent to it; `off` (a forum that registers a known list) registers at once',
    schema: z.enum(['on', 'off']).default('on'),
  },
  CONFIRM_WITHIN_MINUTES: {
    contextKey: 'convene:confirmWithinMinutes',
    meaning: 'how long places are held for an address that has not confirmed yet; then they are released and the waiting list moves on',
    schema: z.coerce.number().int().min(5).max(7 * 24 * 60).default(60),
  },
  MAIL_FROM_NAME: {
    contextKey: 'convene:mailFromName',
    meaning: "the display name of mails' From and of calendars' ORGANIZER; empty: the forum's name in each mail's language (the catalogues' `site.forumName`)",
    schema: z.string().max(100).default(''),
  },
  PERSONAL_DATA_DAYS: {
    contextKey: 'convene:personalDataDays',
    meaning: "personal data expires (DynamoDB TTL) this many days after the forum's last session",
    schema: z.coerce.number().int().positive().default(90),
  },
} as const satisfies Record<string, SettingDeclaration>;

export type SettingName = keyof typeof settings;
export const settingNames = Object.keys(settings) as SettingName[];

/** The settings' schemas by variable name, for a handler's config schema (also in `configFields`). */
export const settingFields = Object.fromEntries(settingNames.map((name) => [name, settings[name].schema])) as {
  readonly [N in SettingName]: (typeof settings)[N]['schema'];
};

/** A parsed value as a function's environment carries it: `24`, `1440,60`. */
export const settingEnvValue = (value: number | number[] | string): string => (Array.isArray(value) ? value.join(',') : String(value));

/** The declared default, as an environment value (what the README's table shows). */
export const settingDefault = (name: SettingName): string => settingEnvValue(settings[name].schema.parse(undefined));

/**
 * Validates every setting from one source (the CDK context, the local runtime's environment) and returns
 * each as the environment value to pass to the functions that list it; an absent one gets its default.
 * @param read - the raw value of a setting, undefined when not set
 * @param label - how the source names a setting in the error (`convene:offerClaimHours`, `OFFER_CLAIM_HOURS`)
 * @throws Error naming every malformed setting
 */
export function resolveSettings(read: (name: SettingName) => unknown, label: (name: SettingName) => string): Record<SettingName, string> {
  const problems: string[] = [];
  const resolved = {} as Record<SettingName, string>;
  for (const name of settingNames) {
    const raw = read(name);
    const parsed = settings[name].schema.safeParse(raw);
    if (parsed.success) resolved[name] = settingEnvValue(parsed.data);
    else problems.push(`${label(name)} = ${JSON.stringify(raw)}: ${parsed.error.issues.map((issue) => issue.message).join(', ')}`);
  }
  if (problems.length > 0) throw new Error(`Invalid Convene settings: ${problems.join('; ')}`);
  return resolved;
}
