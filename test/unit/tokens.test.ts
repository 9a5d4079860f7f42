import { describe, expect, it } from 'vitest';
import { createTokenSigner, TokenError } from '../../functions/identity/tokens.ts';

const signer = createTokenSigner('s'.repeat(40));
const now = new Date('2026-12-01T00:00:00Z');
const later = new Date('2026-12-31T00:00:00Z');

describe('manage-link tokens', () => {
  it('verifies a token it signed and returns the participant it is bound to', () => {
    expect(signer.verify(signer.sign('p-1', later), now).participantId).toBe('p-1');
  });

  it('rejects a token whose payload was changed to another participant', () => {
    const [, signature] = signer.sign('p-1', later).split('.');
    const forged = `${Buffer.from(JSON.stringify({ p: 'p-2', x: later.getTime() / 1000 })).toString('base64url')}.${signature}`;
    expect(() => signer.verify(forged, now)).toThrow(TokenError);
  });

  it('rejects a token signed with another secret', () => {
    const other = createTokenSigner('o'.repeat(40)).sign('p-1', later);
    expect(() => signer.verify(other, now)).toThrowError(/bad-signature/);
  });

  it('rejects an expired token', () => {
    expect(() => signer.verify(signer.sign('p-1', now), later)).toThrowError(/expired/);
  });

  it('rejects malformed tokens without throwing anything but TokenError', () => {
    for (const token of ['', 'abc', 'a.b.c', '.', 'eyJ9.x']) expect(() => signer.verify(token, now)).toThrow(TokenError);
  });
});
