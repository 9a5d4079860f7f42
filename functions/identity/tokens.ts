import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

const payloadSchema = z.object({ p: z.string().min(1), x: z.number().int() }).strict();

export class TokenError extends Error {
  constructor(readonly reason: 'malformed' | 'bad-signature' | 'expired') {
    super(`Token rejected: ${reason}`);
    this.name = 'TokenError';
  }
}

export type TokenSigner = {
  sign(participantId: string, expiresAt: Date): string;
  /** Returns the participant the token is bound to; throws TokenError when forged, malformed or expired. */
  verify(token: string, now: Date): { participantId: string; expiresAt: Date };
};

/**
 * Manage-link tokens: base64url(JSON payload) "." base64url(HMAC-SHA256). The payload binds the token to
 * one participant and an expiry; signatures are compared in constant time.
 */
export function createTokenSigner(secret: string): TokenSigner {
  if (secret.length < 32) throw new Error('Token secret must be at least 32 characters');
  const mac = (data: string) => createHmac('sha256', secret).update(data).digest();
  return {
    sign(participantId, expiresAt) {
      const body = Buffer.from(JSON.stringify({ p: participantId, x: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token, now) {
      const [body, signature, extra] = token.split('.');
      if (!body || !signature || extra !== undefined) throw new TokenError('malformed');
      const expected = mac(body);
      const given = Buffer.from(signature, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError('bad-signature');
      let payload: z.infer<typeof payloadSchema>;
      try {
        payload = payloadSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      } catch {
        throw new TokenError('malformed');
      }
      if (payload.x * 1000 <= now.getTime()) throw new TokenError('expired');
      return { participantId: payload.p, expiresAt: new Date(payload.x * 1000) };
    },
  };
}
