import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { settingDefault, settingNames, type SettingName } from '../../functions/core/settings.ts';
import { defineConvene } from '../../infra/stack.ts';
import { cdkContext } from './context.ts';
import { functionSpecs as functions, type FunctionName } from '../../infra/topology.ts';

/**
 * The tunable settings travel from the CDK context to the functions that use them, and only to those.
 * Cheap synths: no bundling, only the functions' environments are looked at.
 */
const functionNames = Object.keys(functions) as FunctionName[];

/** Each function's environment variables, by topology name (functions are told apart by their description). */
function environments(context: Record<string, unknown>): Record<FunctionName, Record<string, unknown>> {
  const app = new App({ context: { ...cdkContext, ...context, [BUNDLING_STACKS]: [] } });
  const stack = defineConvene(app).stack;
  const lambdas = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')) as Array<{ Properties: { Description: string; Environment: { Variables: Record<string, unknown> } } }>;
  return Object.fromEntries(
    functionNames.map((name) => {
      const found = lambdas.filter((fn) => fn.Properties.Description === functions[name].description);
      expect(found, name).toHaveLength(1);
      return [name, found[0]!.Properties.Environment.Variables];
    }),
  ) as Record<FunctionName, Record<string, unknown>>;
}

/** The functions whose topology spec lists `setting`. */
const listing = (setting: SettingName) => functionNames.filter((name) => functions[name].settings?.includes(setting));

/** The functions whose environment holds `setting`, with its value. */
const holders = (envs: Record<FunctionName, Record<string, unknown>>, setting: SettingName) =>
  Object.fromEntries(functionNames.filter((name) => setting in envs[name]).map((name) => [name, envs[name][setting]]));

describe('settings from the CDK context', () => {
  it('passes convene:reminderLeadsMinutes and convene:offerClaimHours to the functions that use them, and to no other', () => {
    // Act
    const envs = environments({ 'convene:reminderLeadsMinutes': '1440,60,15', 'convene:offerClaimHours': '0' });
    // Assess
    expect(holders(envs, 'REMINDER_LEADS_MINUTES')).toEqual({ sendReminders: '1440,60,15' });
    expect(holders(envs, 'OFFER_CLAIM_HOURS')).toEqual({ promoteWaitlist: '0' });
  });

  it('accepts the cdk.json forms too: a number, a list of numbers', () => {
    const envs = environments({ 'convene:reminderLeadsMinutes': [2880, 30], 'convene:tokenTtlDays': 30 });
    expect(holders(envs, 'REMINDER_LEADS_MINUTES')).toEqual({ sendReminders: '2880,30' });
    expect(holders(envs, 'TOKEN_TTL_DAYS')).toEqual(Object.fromEntries(listing('TOKEN_TTL_DAYS').map((name) => [name, '30'])));
  });

  it('passes the declared default explicitly when the context sets nothing, to exactly the functions listing the setting', () => {
    const envs = environments({});
    for (const setting of settingNames) {
      expect(listing(setting).length, `${setting} is used by some function`).toBeGreaterThan(0);
      expect(holders(envs, setting), setting).toEqual(Object.fromEntries(listing(setting).map((name) => [name, settingDefault(setting)])));
    }
  });

  it('fails synth on a malformed value, naming its context key', () => {
    expect(() => environments({ 'convene:reminderLeadsMinutes': 'soon', 'convene:personalDataDays': '-1' })).toThrow(
      /convene:reminderLeadsMinutes = "soon".*convene:personalDataDays = "-1"/,
    );
    expect(() => environments({ 'convene:offerClaimHours': 'a day' })).toThrow(/convene:offerClaimHours = "a day"/);
  });
});
