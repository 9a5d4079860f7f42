import type { Clock } from '../core/clock.ts';
import { RequestError } from '../core/errors.ts';
import { t } from '../core/i18n/messages.ts';
import type { Language } from '../core/model.ts';
import { TokenError, type TokenClaim, type TokenPurpose, type TokenSigner } from './tokens.ts';

export type LinkVerifierDeps = {
  /** The signer; `refresh` re-reads the keys (after a rotation). */
  tokens: (options?: { refresh?: boolean }) => Promise<TokenSigner>;
  clock: Clock;
};

/**
 * Verifies a link's token for the purposes a route accepts: 403 in the request's language when it is
 * forged, malformed, expired, signed by a retired key or made for another purpose (an unsubscribe token
 * never opens the manage page, a confirm token never anything but the confirmation). A token naming a key
 * newer than the cached ones makes the keys be read again, once.
 */
export function linkVerifier(deps: LinkVerifierDeps) {
  return async (token: unknown, purposes: readonly TokenPurpose[], lang: Language): Promise<TokenClaim & { keyId: string }> => {
    if (typeof token !== 'string') throw new RequestError(403, 'forbidden', t(lang, 'error.linkInvalid'));
    try {
      try {
        return (await deps.tokens()).verify(token, purposes, deps.clock.now());
      } catch (error) {
        if (!(error instanceof TokenError && error.reason === 'unknown-key')) throw error;
        return (await deps.tokens({ refresh: true })).verify(token, purposes, deps.clock.now());
      }
    } catch (error) {
      if (error instanceof TokenError) throw new RequestError(403, 'forbidden', t(lang, 'error.linkInvalid'), [], { cause: error });
      throw error;
    }
  };
}
