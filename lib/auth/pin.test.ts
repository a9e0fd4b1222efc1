import { describe, expect, it } from 'vitest';
import { hashPin, pinSchema, verifyPin } from '@/lib/auth/pin';

describe('pinSchema', () => {
  it.each(['1234', '00000000', '123456'])('accepts %j', (pin) => {
    expect(pinSchema.parse(pin)).toBe(pin);
  });

  it.each(['123', '123456789', '12a4', ' 1234', '1234 ', '', '１２３４'])('refuses %j', (pin) => {
    expect(pinSchema.safeParse(pin).error?.issues[0]?.message).toBe('Enter a PIN of 4 to 8 digits.');
  });

  it('refuses a non-string', () => {
    expect(pinSchema.safeParse(1234).error?.issues[0]?.message).toBe('Enter a PIN of 4 to 8 digits.');
  });
});

describe('hashPin / verifyPin', () => {
  it('stores an argon2id verifier and checks the PIN against it', async () => {
    const stored = await hashPin('4711');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain('4711');
    expect(await verifyPin(stored, '4711')).toBe(true);
    expect(await verifyPin(stored, '4712')).toBe(false);
    expect(await verifyPin(stored, '04711')).toBe(false);
  });

  it('answers false for a contract without a PIN', async () => {
    expect(await verifyPin(null, '4711')).toBe(false);
  });
});
