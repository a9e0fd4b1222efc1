import { describe, expect, it } from 'vitest';
import { brandOfPan, decide, declineReasons, luhnValid, testAccounts, testCards } from './issuer';

const now = new Date('2026-11-25T00:00:00Z');
const card = (pan: string, expiry = '2030-12') => ({ kind: 'card' as const, pan, expiry, cvc: '123' });

describe('issuer decisions', () => {
  it('every test card has a valid Luhn number and the brand its prefix says', () => {
    for (const entry of testCards) {
      expect(luhnValid(entry.pan), entry.pan).toBe(true);
      expect(brandOfPan(entry.pan), entry.pan).toBe(entry.brand);
    }
  });

  it('every decline reason has English and Japanese text', () => {
    for (const [code, text] of Object.entries(declineReasons)) {
      expect(text.en.length, code).toBeGreaterThan(5);
      expect(text.ja, code).toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/);
    }
  });

  it.each(testCards)('$pan: $note', (entry) => {
    const decision = decide({ account: card(entry.pan), brand: entry.brand, amount: 1_000, acceptedBrands: ['VISA', 'MASTER', 'JCB'], now });
    const expected = entry.behaviour === 'approve' ? { kind: 'approve' } : entry.behaviour === 'slow' || entry.behaviour === 'never' ? { kind: entry.behaviour } : { kind: 'decline', code: entry.behaviour };
    expect(decision).toEqual(expected);
  });

  it('declines the over-limit card above its limit only', () => {
    const input = { brand: 'VISA', acceptedBrands: ['VISA'], now };
    expect(decide({ ...input, account: card('4000000000000101'), amount: 50_000 })).toEqual({ kind: 'approve' });
    expect(decide({ ...input, account: card('4000000000000101'), amount: 50_001 })).toEqual({ kind: 'decline', code: 'over_limit' });
  });

  it('declines a past expiry month, an invalid number, a brand the acquirer does not take, and a PI brand that is not the card’s', () => {
    const input = { amount: 100, acceptedBrands: ['VISA', 'MASTER'], now };
    expect(decide({ ...input, brand: 'VISA', account: card('4111111111111111', '2026-10') })).toEqual({ kind: 'decline', code: 'expired_card' });
    expect(decide({ ...input, brand: 'VISA', account: card('4111111111111111', '2026-11') })).toEqual({ kind: 'approve' });
    expect(decide({ ...input, brand: 'VISA', account: card('4111111111111112') })).toEqual({ kind: 'decline', code: 'invalid_card_number' });
    expect(decide({ ...input, brand: 'JCB', account: card('3530111333300000') })).toEqual({ kind: 'decline', code: 'brand_not_accepted' });
    expect(decide({ ...input, brand: 'MASTER', account: card('4111111111111111') })).toEqual({ kind: 'decline', code: 'brand_not_accepted' });
  });

  it('decides account transfers by account, PIN and balance', () => {
    const input = { brand: 'BANK', acceptedBrands: ['BANK'], now };
    const [ok, low, closed] = testAccounts;
    const bank = (entry: typeof ok, pin = entry!.pin) => ({ kind: 'bank' as const, bankCode: entry!.bankCode, accountNumber: entry!.accountNumber, pin });
    expect(decide({ ...input, account: bank(ok), amount: 5_000 })).toEqual({ kind: 'approve' });
    expect(decide({ ...input, account: bank(ok, '9999'), amount: 5_000 })).toEqual({ kind: 'decline', code: 'wrong_pin' });
    expect(decide({ ...input, account: bank(low), amount: 1_001 })).toEqual({ kind: 'decline', code: 'insufficient_balance' });
    expect(decide({ ...input, account: bank(closed), amount: 1 })).toEqual({ kind: 'decline', code: 'closed_account' });
    expect(decide({ ...input, account: { kind: 'bank', bankCode: '0001', accountNumber: '9999999', pin: '1234' }, amount: 1 })).toEqual({ kind: 'decline', code: 'unknown_account' });
  });
});
