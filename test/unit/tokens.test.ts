import { describe, expect, it } from 'vitest';
import { createTokenSigner, parseTokenKeys, rotatedTokenKeys, TokenError } from '../../functions/identity/tokens.ts';

const signer = createTokenSigner('s'.repeat(40));
const now = new Date('2026-12-01T08:00:00Z');
const later = new Date('2026-12-31T08:00:00Z');
const manage = (subject = 'p-1', expiresAt = later) => ({ purpose: 'manage' as const, subject, expiresAt });

describe('link tokens', () => {
  it('verifies a token it signed, for its purpose, naming its key', () => {
    expect(signer.verify(signer.sign(manage()), 'manage', now)).toEqual({ purpose: 'manage', subject: 'p-1', expiresAt: later, generation: 0, keyId: 'k0' });
    expect(signer.verify(signer.sign({ ...manage(), generation: 3 }), 'manage', now).generation).toBe(3);
  });

  it('refuses a payload re-signed with another body (bad signature)', () => {
    const [, signature] = signer.sign(manage()).split('.');
    const forged = `${Buffer.from(JSON.stringify({ k: 'k0', u: 'manage', s: 'p-2', x: 4102444800 })).toString('base64url')}.${signature}`;
    expect(() => signer.verify(forged, 'manage', now)).toThrow(TokenError);
  });

  it('refuses a token signed with another secret', () => {
    const other = createTokenSigner('o'.repeat(40)).sign(manage());
    expect(() => signer.verify(other, 'manage', now)).toThrowError(/bad-signature/);
  });

  it('refuses an expired token', () => {
    expect(() => signer.verify(signer.sign(manage('p-1', now)), 'manage', later)).toThrowError(/expired/);
  });

  it('refuses malformed tokens', () => {
    for (const token of ['', 'abc', 'a.b.c', '.', 'eyJ9.x']) expect(() => signer.verify(token, 'manage', now)).toThrow(TokenError);
  });

  it('refuses a token of one purpose wherever another is asked for', () => {
    const unsubscribe = signer.sign({ purpose: 'unsubscribe', subject: 'p-1', expiresAt: later });
    const optOut = signer.sign({ purpose: 'digest-opt-out', subject: 'hash', expiresAt: later });
    expect(() => signer.verify(unsubscribe, 'manage', now)).toThrowError(/wrong-purpose/);
    expect(() => signer.verify(optOut, 'manage', now)).toThrowError(/wrong-purpose/);
    expect(() => signer.verify(signer.sign(manage()), ['unsubscribe', 'digest-opt-out'], now)).toThrowError(/wrong-purpose/);
    expect(signer.verify(optOut, ['unsubscribe', 'digest-opt-out'], now).purpose).toBe('digest-opt-out');
  });

  it('after a rotation signs with the new key and still verifies the previous key’s tokens; a retired key’s are refused', () => {
    // Prepare: a token of key k1, then two rotations
    const first = parseTokenKeys(JSON.stringify({ currentId: 'k1', current: 'a'.repeat(40) }));
    const old = createTokenSigner(first).sign(manage());
    const second = parseTokenKeys(rotatedTokenKeys(first, { id: 'k2', secret: 'b'.repeat(40) }));
    const third = parseTokenKeys(rotatedTokenKeys(second, { id: 'k3', secret: 'c'.repeat(40) }));

    // Assess
    expect(second).toEqual({ current: { id: 'k2', secret: 'b'.repeat(40) }, previous: { id: 'k1', secret: 'a'.repeat(40) } });
    const rotated = createTokenSigner(second);
    expect(rotated.verify(old, 'manage', now).keyId).toBe('k1');
    expect(rotated.verify(rotated.sign(manage()), 'manage', now).keyId).toBe('k2');
    expect(() => createTokenSigner(third).verify(old, 'manage', now)).toThrowError(/unknown-key/);
  });

  it('reads the secret as JSON keys or as a bare string, and refuses short secrets', () => {
    expect(parseTokenKeys('x'.repeat(32))).toEqual({ current: { id: 'k0', secret: 'x'.repeat(32) } });
    expect(() => parseTokenKeys(JSON.stringify({ currentId: 'k1', current: 'short' }))).toThrow();
    expect(() => createTokenSigner('short')).toThrow();
  });
});
