import { describe, expect, it } from 'vitest';
import { hashPassword, passwordSchema, verifyAgainstDummy, verifyPassword } from '@/lib/auth/password';

describe('hashPassword', () => {
  it('produces an argon2id PHC string with OWASP baseline parameters and a fresh salt', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(first).not.toContain('correct horse');
    expect(second).not.toBe(first);
  });
});

describe('verifyPassword', () => {
  it('is true for the right password and false for any other', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapl')).toBe(false);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
  });

  it('is false, not an exception, for a stored value that is not a hash', async () => {
    expect(await verifyPassword('', 'anything at all')).toBe(false);
    expect(await verifyPassword('correct horse battery staple', 'correct horse battery staple')).toBe(false);
  });
});

describe('verifyAgainstDummy', () => {
  it('always answers false', async () => {
    expect(await verifyAgainstDummy('not-a-real-password-for-timing-only')).toBe(false);
    expect(await verifyAgainstDummy('anything')).toBe(false);
  });
});

describe('passwordSchema', () => {
  it('needs at least 12 characters', () => {
    expect(passwordSchema.safeParse('a'.repeat(11)).error?.issues[0]?.message).toBe('Use at least 12 characters.');
    expect(passwordSchema.parse('a'.repeat(12))).toBe('a'.repeat(12));
  });

  it('allows at most 128 characters', () => {
    expect(passwordSchema.parse('a'.repeat(128))).toHaveLength(128);
    expect(passwordSchema.safeParse('a'.repeat(129)).error?.issues[0]?.message).toBe('Use at most 128 characters.');
  });

  it('asks for a password when there is none', () => {
    expect(passwordSchema.safeParse(undefined).error?.issues[0]?.message).toBe('Enter a password.');
  });

  it('keeps the password exactly as typed (no trimming)', () => {
    expect(passwordSchema.parse('  spaced out pass  ')).toBe('  spaced out pass  ');
  });
});
