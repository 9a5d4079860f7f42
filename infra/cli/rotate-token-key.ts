import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseTokenKeys, rotatedTokenKeys } from '../../functions/identity/tokens.ts';

/**
 * Rotates the link-signing key: a new random current key (id k<n+1>), the old current kept as previous,
 * so every link already mailed keeps working until it expires; links signed with the key before that are
 * refused from now on. Functions pick the new key up within five minutes (their secret cache).
 */
export async function rotateTokenKey(client: SecretsManagerClient, secretId: string): Promise<{ currentId: string; previousId: string }> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (typeof out.SecretString !== 'string') throw new Error('The token secret holds no string');
  const keys = parseTokenKeys(out.SecretString);
  const number = Number(/^k(\d+)$/.exec(keys.current.id)?.[1] ?? 0);
  const fresh = { id: `k${number + 1}`, secret: randomBytes(48).toString('base64url') };
  await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: rotatedTokenKeys(keys, fresh) }));
  return { currentId: fresh.id, previousId: keys.current.id };
}
