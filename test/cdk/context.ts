import { readFileSync } from 'node:fs';

/**
 * The context `npm run synth` builds with: cdk.json's, and the placeholder account and region that the
 * synth script passes too (a deploy names its own; synth without them fails).
 */
export const PLACEHOLDER_ENV = { 'convene:account': '111111111111', 'convene:region': 'eu-central-2' } as const;

export const cdkContext: Record<string, unknown> = {
  ...(JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>),
  ...PLACEHOLDER_ENV,
};
