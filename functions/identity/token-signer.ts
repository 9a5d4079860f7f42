import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { createTokenSigner, type TokenSigner } from './tokens.ts';

let cached: { secret: string; signer: TokenSigner } | undefined;

/**
 * The manage-link signer, keyed by the secret in Secrets Manager. Powertools caches the value for five
 * minutes, so a rotated secret is picked up without a redeploy.
 */
export async function tokenSigner(secretArn: string): Promise<TokenSigner> {
  const secret = await getSecret(secretArn, { maxAge: 300 });
  if (typeof secret !== 'string') throw new Error('Token secret is not a string');
  if (cached?.secret !== secret) cached = { secret, signer: createTokenSigner(secret) };
  return cached.signer;
}
