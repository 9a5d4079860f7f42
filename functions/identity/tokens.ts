import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/**
 * What a link may do. Each token names one purpose and is refused everywhere else: a reminder's
 * unsubscribe link cannot open the manage page, an organiser's digest opt-out cannot touch a registrant,
 * and a calendar feed's address (kept by a calendar app, shared with a colleague) only reads the feed.
 */
export const tokenPurposes = ['manage', 'unsubscribe', 'digest-opt-out', 'confirm', 'feed'] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

const payloadSchema = z
  .object({
    /** the key that signed it */
    k: z.string().min(1).max(32),
    /** purpose */
    u: z.enum(tokenPurposes),
    /** subject: a participant id, or an organiser address hash */
    s: z.string().min(1),
    /** expiry, epoch seconds */
    x: z.number().int(),
    /** the participant's link generation when signed ("sign out all my links" raises it) */
    g: z.number().int().min(0).optional(),
    /** what within the subject the token is for: the hold a `confirm` token confirms */
    r: z.string().min(1).max(64).optional(),
  })
  .strict();

export class TokenError extends Error {
  constructor(readonly reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' | 'unknown-key') {
    super(`Token rejected: ${reason}`);
    this.name = 'TokenError';
  }
}

export type TokenClaim = { purpose: TokenPurpose; subject: string; expiresAt: Date; generation?: number; ref?: string };

export type TokenSigner = {
  /** Signs with the current key. */
  sign(claim: TokenClaim): string;
  /**
   * Returns the claim of a token made for one of `purposes`; throws TokenError when it is forged,
   * malformed, expired, signed by a key no longer held, or made for another purpose.
   */
  verify(token: string, purposes: TokenPurpose | readonly TokenPurpose[], now: Date): TokenClaim & { keyId: string };
};

/** The signing keys: the current one signs, the previous one still verifies until its tokens expire. */
export type TokenKeys = { current: { id: string; secret: string }; previous?: { id: string; secret: string } };

const secretShape = z.object({
  currentId: z.string().min(1).max(32),
  current: z.string().min(32),
  previousId: z.string().min(1).max(32).optional(),
  previous: z.string().min(32).optional(),
});

/**
 * Reads the secret's value: JSON `{ "currentId", "current", "previousId"?, "previous"? }` (what the stack
 * creates and `npm run admin -- rotate-token-key` writes), or a bare string of at least 32 characters (key
 * id `k0`, for local runs and tests).
 */
export function parseTokenKeys(value: string): TokenKeys {
  if (!value.trimStart().startsWith('{')) return { current: { id: 'k0', secret: value } };
  const parsed = secretShape.parse(JSON.parse(value));
  return {
    current: { id: parsed.currentId, secret: parsed.current },
    ...(parsed.previousId && parsed.previous ? { previous: { id: parsed.previousId, secret: parsed.previous } } : {}),
  };
}

/** The secret's value after a rotation: a new current key, the old current kept as previous. */
export function rotatedTokenKeys(keys: TokenKeys, fresh: { id: string; secret: string }): string {
  return JSON.stringify({ currentId: fresh.id, current: fresh.secret, previousId: keys.current.id, previous: keys.current.secret });
}

/**
 * Link tokens: base64url(JSON payload) "." base64url(HMAC-SHA256 of the payload, with the key it names).
 * The payload binds the token to one purpose, one subject, an expiry and its key id; signatures are
 * compared in constant time.
 */
export function createTokenSigner(keys: TokenKeys | string): TokenSigner {
  const held = typeof keys === 'string' ? parseTokenKeys(keys) : keys;
  for (const key of [held.current, held.previous]) if (key && key.secret.length < 32) throw new Error('Token secret must be at least 32 characters');
  const secrets = new Map([held.current, ...(held.previous ? [held.previous] : [])].map((key) => [key.id, key.secret]));
  const mac = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    sign({ purpose, subject, expiresAt, generation, ref }) {
      const payload = { k: held.current.id, u: purpose, s: subject, x: Math.floor(expiresAt.getTime() / 1000), ...(generation ? { g: generation } : {}), ...(ref ? { r: ref } : {}) };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(held.current.secret, body).toString('base64url')}`;
    },
    verify(token, purposes, now) {
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined) throw new TokenError('malformed');
      let payload: z.infer<typeof payloadSchema>;
      try {
        payload = payloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      } catch {
        throw new TokenError('malformed');
      }
      const secret = secrets.get(payload.k);
      if (!secret) throw new TokenError('unknown-key');
      const expected = mac(secret, body);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('bad-signature');
      if (payload.x * 1000 <= now.getTime()) throw new TokenError('expired');
      if (!(typeof purposes === 'string' ? [purposes] : purposes).includes(payload.u)) throw new TokenError('wrong-purpose');
      return { purpose: payload.u, subject: payload.s, expiresAt: new Date(payload.x * 1000), generation: payload.g ?? 0, keyId: payload.k, ...(payload.r ? { ref: payload.r } : {}) };
    },
  };
}
