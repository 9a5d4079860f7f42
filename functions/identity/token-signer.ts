import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { createTokenSigner, parseTokenKeys, type TokenSigner } from './tokens.ts';

let cached: { secret: string; signer: TokenSigner } | undefined;

/**
 * The link signer, keyed by the secret in Secrets Manager (current and previous key). Powertools caches
 * the value for five minutes, so a rotated key is picked up without a redeploy; `refresh` reads it anew
 * (a token naming a key this cache does not hold yet was signed after a rotation).
 */
export async function tokenSigner(secretArn: string, options: { refresh?: boolean } = {}): Promise<TokenSigner> {
  const secret = await getSecret(secretArn, { maxAge: 300, ...(options.refresh ? { forceFetch: true } : {}) });
  if (typeof secret !== 'string') throw new Error('Token secret is not a string');
  if (cached?.secret !== secret) cached = { secret, signer: createTokenSigner(parseTokenKeys(secret)) };
  return cached.signer;
}
