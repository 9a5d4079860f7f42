import { describe, expect, it } from 'vitest';
import { resolveSettings, settingNames, type SettingName } from '../../functions/core/settings.ts';
import { Activity } from '../../infra/local/activity.ts';
import { LocalLambdas } from '../../infra/local/lambdas.ts';
import { functionSpecs, type FunctionName } from '../../infra/topology.ts';

/** Wiring values good enough for every handler module to load (nothing is called). */
const wiring: Record<string, string> = {
  AWS_REGION: 'eu-central-1',
  TABLE_NAME: 'convene',
  IDEMPOTENCY_TABLE_NAME: 'convene-idempotency',
  EVENT_BUS_NAME: 'convene-local',
  PUBLIC_URL: 'http://127.0.0.1:3000',
  MAIL_FROM: 'forum@example.org',
  CONFIGURATION_SET: 'convene',
  TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:convene/token-secret',
  FORUM_TIME_ZONE: 'Europe/Zurich',
  ORGANISER_ADDRESSES: 'organisers@example.org',
  ORIGIN_SECRET: 'a-front-door-secret-for-tests',
  ROUTE_KEYS: 'GET / POST /registrations',
};

describe('the local runtime', () => {
  it('loads each handler with exactly the settings its spec lists in its environment, and leaves none behind', async () => {
    // Prepare: settings as `OFFER_CLAIM_HOURS=0 REMINDER_LEADS_MINUTES=1440,60,15 npm start` gives them; an
    // environment that notes, at each read of a setting, which settings were present.
    const given = resolveSettings((name) => ({ OFFER_CLAIM_HOURS: '0', REMINDER_LEADS_MINUTES: '1440,60,15' })[name as string], (name) => name);
    const reads: Array<{ setting: SettingName; value: string | undefined; present: SettingName[] }> = [];
    const original = process.env;
    const env: Record<string, string | undefined> = { ...original, ...wiring };
    for (const name of settingNames) delete env[name];
    process.env = new Proxy(env, {
      get(target, key, receiver) {
        if (typeof key === 'string' && (settingNames as string[]).includes(key)) {
          reads.push({ setting: key as SettingName, value: target[key], present: settingNames.filter((name) => target[name] !== undefined) });
        }
        return Reflect.get(target, key, receiver);
      },
    });
    try {
      // Act
      await new LocalLambdas(new Activity(), given).warm();
    } finally {
      process.env = original;
    }
    // Assess: every read found the given value, next to the settings of one function that lists it.
    const lists = (Object.keys(functionSpecs) as FunctionName[]).map((name) => [...(functionSpecs[name].settings ?? [])].sort().join(','));
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) {
      expect(read.value, read.setting).toBe(given[read.setting]);
      expect(lists, `${read.setting} read with ${read.present.join(',')} present`).toContain([...read.present].sort().join(','));
      expect(read.present).toContain(read.setting);
    }
    expect(reads.filter((r) => r.setting === 'OFFER_CLAIM_HOURS').map((r) => r.value)).toContain('0');
    expect(reads.filter((r) => r.setting === 'REMINDER_LEADS_MINUTES').map((r) => r.value)).toContain('1440,60,15');
    expect(settingNames.filter((name) => env[name] !== undefined)).toEqual([]);
  });
});
