import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFields, loadConfig } from '../../functions/core/config.ts';
import { resolveSettings, settingDefault, settingNames, settings, type SettingName } from '../../functions/core/settings.ts';
import * as z from 'zod';
import { functionSpecs, type FunctionName } from '../../infra/topology.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const isSetting = (name: string): name is SettingName => (settingNames as string[]).includes(name);

/** Wiring values good enough for every handler module to load (nothing is called). */
const wiring: Record<string, string> = {
  AWS_REGION: 'eu-central-1',
  TABLE_NAME: 'convene',
  IDEMPOTENCY_TABLE_NAME: 'convene-idempotency',
  EVENT_BUS_NAME: 'convene',
  PUBLIC_URL: 'https://forum.example.org',
  MAIL_FROM: 'forum@example.org',
  CONFIGURATION_SET: 'convene',
  TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:convene/token-secret',
  FORUM_TIME_ZONE: 'Europe/Zurich',
  ORGANISER_ADDRESSES: 'organisers@example.org',
  ORIGIN_SECRET: 'a-front-door-secret-for-tests',
  ROUTE_KEYS: 'GET / POST /registrations',
};

/**
 * The settings each handler reads, observed: every handler module is loaded in turn (as a cold start
 * does) with an environment that records which settings its configuration schemas look up.
 */
async function settingsReadByHandlers(): Promise<Record<FunctionName, SettingName[]>> {
  const reads = {} as Record<FunctionName, Set<SettingName>>;
  let loading: FunctionName | undefined;
  const original = process.env;
  process.env = new Proxy({ ...original, ...wiring }, {
    get(target, key, receiver) {
      if (loading && typeof key === 'string' && isSetting(key)) reads[loading].add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  try {
    for (const [name, spec] of Object.entries(functionSpecs) as Array<[FunctionName, (typeof functionSpecs)[FunctionName]]>) {
      loading = name;
      reads[name] = new Set();
      await import(path.join(root, spec.entry));
    }
  } finally {
    loading = undefined;
    process.env = original;
  }
  return Object.fromEntries(Object.entries(reads).map(([name, set]) => [name, [...set].sort()])) as Record<FunctionName, SettingName[]>;
}

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sourceFiles(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));

describe('settings', () => {
  let readByHandlers: Record<FunctionName, SettingName[]>;
  beforeAll(async () => {
    readByHandlers = await settingsReadByHandlers();
  }, 60_000);

  it.each(Object.keys(functionSpecs) as FunctionName[])('%s lists in the topology exactly the settings its handler reads', (name) => {
    expect(readByHandlers[name]).toEqual([...(functionSpecs[name].settings ?? [])].sort());
  });

  it('are given a schema (and a default) nowhere but functions/core/settings.ts', () => {
    const own = sourceFiles(path.join(root, 'functions'))
      .filter((file) => !file.endsWith(path.join('core', 'settings.ts')))
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\b([A-Z][A-Z0-9_]*)\s*:\s*z\./g)].filter(([, n]) => isSetting(n!)).map(([, n]) => `${path.relative(root, file)}: ${n}`));
    expect(own).toEqual([]);
  });

  it('each have a distinct convene: context key', () => {
    const keys = settingNames.map((name) => settings[name].contextKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reach a handler as the value that was given, or as the declared default', () => {
    const schema = z.object({ REMINDER_LEADS_MINUTES: configFields.REMINDER_LEADS_MINUTES, OFFER_CLAIM_HOURS: configFields.OFFER_CLAIM_HOURS });
    const given = resolveSettings((name) => ({ REMINDER_LEADS_MINUTES: [1440, 60, 15], OFFER_CLAIM_HOURS: '0' })[name as string], (name) => name);
    expect(loadConfig(schema, given)).toEqual({ REMINDER_LEADS_MINUTES: [1440, 60, 15], OFFER_CLAIM_HOURS: 0 });
    const absent = resolveSettings(() => undefined, (name) => name);
    expect(absent).toEqual(Object.fromEntries(settingNames.map((name) => [name, settingDefault(name)])));
    expect(loadConfig(schema, absent)).toEqual({
      REMINDER_LEADS_MINUTES: settings.REMINDER_LEADS_MINUTES.schema.parse(undefined),
      OFFER_CLAIM_HOURS: settings.OFFER_CLAIM_HOURS.schema.parse(undefined),
    });
  });

  it('refuse a malformed value, naming every bad one by its key', () => {
    const bad = { 'convene:reminderLeadsMinutes': 'soon', 'convene:tokenTtlDays': '-3' } as Record<string, unknown>;
    expect(() => resolveSettings((name) => bad[settings[name].contextKey], (name) => settings[name].contextKey)).toThrow(/convene:tokenTtlDays.*convene:reminderLeadsMinutes/);
  });
});
