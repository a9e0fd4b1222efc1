import { describe, expect, it } from 'vitest';
import { accountKindOf, brandLabel, expiryYears, readWalletInput, type WalletFields } from '@/lib/checkout/wallet-input';

const fields = (overrides: Partial<WalletFields> = {}): WalletFields => ({
  cardNumber: '4111 1111 1111 1111',
  expiryMonth: '12',
  expiryYear: '2031',
  securityCode: '123',
  bankCode: '0001',
  accountNumber: '',
  pin: '',
  name: ' Yui Aoki ',
  email: 'yui@example.test',
  phone: '',
  address: '',
  ...overrides,
});

describe('readWalletInput', () => {
  it('sends the card number as digits only, and leaves out empty optional details', () => {
    expect(readWalletInput('card', fields({ cardNumber: '4111-1111 1111 1111' }))).toEqual({
      ok: true,
      account: { kind: 'card', pan: '4111111111111111', expiry: '2031-12', cvc: '123' },
      customer: { name: 'Yui Aoki', email: 'yui@example.test' },
    });
  });

  it('does not judge the check digit: that is the issuer’s decision', () => {
    const input = readWalletInput('card', fields({ cardNumber: '4111 1111 1111 1112' }));
    expect(input).toMatchObject({ ok: true, account: { pan: '4111111111111112' } });
  });

  it('reports every problem against its own field', () => {
    const input = readWalletInput('card', fields({ cardNumber: '4111 11', expiryMonth: '', expiryYear: '', securityCode: '12a', name: '', email: 'not-an-address', phone: 'call me' }));
    expect(input).toEqual({
      ok: false,
      errors: {
        cardNumber: 'Enter the card number: 12 to 19 digits.',
        expiryMonth: 'Choose the expiry month.',
        expiryYear: 'Choose the expiry year.',
        securityCode: 'Enter the 3- or 4-digit security code.',
        name: 'Enter your name.',
        email: 'Enter a valid e-mail address.',
        phone: 'Enter a phone number of digits, spaces and + ( ) -.',
      },
    });
  });

  it('refuses letters in a card number rather than dropping them', () => {
    expect(readWalletInput('card', fields({ cardNumber: '4111 1111 1111 111O' }))).toMatchObject({ ok: false, errors: { cardNumber: expect.any(String) } });
  });

  it('reads a bank account with its PIN, and keeps phone and address when given', () => {
    expect(readWalletInput('bank', fields({ cardNumber: '', accountNumber: '1234567', pin: '1234', phone: '+81 3 1234 5678', address: '1-2-3 Minato, Tokyo' }))).toEqual({
      ok: true,
      account: { kind: 'bank', bankCode: '0001', accountNumber: '1234567', pin: '1234' },
      customer: { name: 'Yui Aoki', email: 'yui@example.test', phone: '+81 3 1234 5678', address: '1-2-3 Minato, Tokyo' },
    });
  });

  it('checks the bank fields, not the card fields, for a bank transfer', () => {
    expect(readWalletInput('bank', fields({ bankCode: '1', accountNumber: '123', pin: '12' }))).toEqual({
      ok: false,
      errors: { bankCode: 'Enter the 4-digit bank code.', accountNumber: 'Enter the account number: 7 to 14 digits.', pin: 'Enter your PIN: 4 to 6 digits.' },
    });
  });
});

describe('brands', () => {
  it('BANK is an account transfer, every other brand a card', () => {
    expect(accountKindOf('BANK')).toBe('bank');
    expect(['VISA', 'MASTER', 'JCB'].map(accountKindOf)).toEqual(['card', 'card', 'card']);
    expect(['VISA', 'MASTER', 'JCB', 'BANK', 'OTHER'].map(brandLabel)).toEqual(['Visa', 'Mastercard', 'JCB', 'Bank account transfer', 'OTHER']);
  });

  it('offers this year and the next fifteen for the expiry', () => {
    const years = expiryYears(new Date('2026-03-01T00:00:00Z'));
    expect(years[0]).toBe('2026');
    expect(years.at(-1)).toBe('2041');
  });
});
