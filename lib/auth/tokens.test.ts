import { describe, expect, it } from 'vitest';
import { newToken, sha256Hex } from '@/lib/auth/tokens';
import { verificationTokenSchema } from '@/lib/auth/verify-email';

describe('newToken', () => {
  it('is 43 URL-safe characters (256 bits) and different every time', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(verificationTokenSchema.safeParse({ token }).success).toBe(true);
    }
  });
});

describe('sha256Hex', () => {
  it('is the SHA-256 digest in lower-case hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
