import { describe, expect, it } from 'vitest';
import { contractApplicationSchema, emailSchema, signUpSchema, storeProfileSchema, textField } from '@/lib/stores/schemas';

function messages(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((issue) => [issue.path.join('.'), issue.message]));
}

describe('textField', () => {
  const storeName = textField('the store name', 120);

  it('trims and keeps printable text, including non-ASCII', () => {
    expect(storeName.parse('  Café Ümlaut 東京  ')).toBe('Café Ümlaut 東京');
  });

  it.each([
    ['NUL', 'Tea\u0000House'],
    ['newline', 'Tea\nHouse'],
    ['tab', 'Tea\tHouse'],
    ['escape', 'Tea\u001b[31mHouse'],
    ['DEL', 'Tea\u007fHouse'],
  ])('refuses a %s inside', (_label, value) => {
    expect(storeName.safeParse(value).error?.issues[0]?.message).toBe('Remove control characters.');
  });

  it('allows exactly the maximum length after trimming', () => {
    expect(storeName.parse(` ${'a'.repeat(120)} `)).toHaveLength(120);
    expect(storeName.safeParse('a'.repeat(121)).error?.issues[0]?.message).toBe('Use at most 120 characters.');
  });

  it('refuses an empty or blank value and a non-string', () => {
    expect(storeName.safeParse('').error?.issues[0]?.message).toBe('Enter the store name.');
    expect(storeName.safeParse('   ').error?.issues[0]?.message).toBe('Enter the store name.');
    expect(storeName.safeParse(undefined).error?.issues[0]?.message).toBe('Enter the store name.');
  });
});

describe('emailSchema', () => {
  it('trims and lower-cases', () => {
    expect(emailSchema.parse('  Owner.Name+pos@Example.COM ')).toBe('owner.name+pos@example.com');
  });

  it.each(['owner', 'owner@', '@example.com', 'owner@example', 'own er@example.com', 'owner@example.com\u0000'])('refuses %j', (value) => {
    expect(emailSchema.safeParse(value).error?.issues[0]?.message).toBe('Enter a valid e-mail address.');
  });

  it('refuses an address over 254 characters', () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.example`;
    expect(long.length).toBeGreaterThan(254);
    expect(emailSchema.safeParse(long).error?.issues[0]?.message).toBe('Use at most 254 characters.');
  });
});

describe('signUpSchema', () => {
  const row = (acquirerCode: string, merchantNumber = '', pin = '') => ({ acquirerCode, merchantNumber, pin });
  const valid = { storeName: 'Tea House', ownerName: 'Hana', email: 'Hana@Example.com', password: 'long enough password', contracts: [row('ACQ-CARD', ' m-tea-0001 ', '1234')] };

  it('parses a sign-up, with merchant numbers in capitals', () => {
    expect(signUpSchema.parse(valid)).toEqual({ ...valid, email: 'hana@example.com', contracts: [{ acquirerCode: 'ACQ-CARD', merchantNumber: 'M-TEA-0001', pin: '1234' }] });
  });

  it('names every wrong field', () => {
    const result = signUpSchema.safeParse({ storeName: 'Tea\u0007House', ownerName: '', email: 'nope', password: 'short', contracts: valid.contracts });
    expect(messages(result)).toEqual({
      storeName: 'Remove control characters.',
      ownerName: 'Enter your name.',
      email: 'Enter a valid e-mail address.',
      password: 'Use at least 12 characters.',
    });
  });

  it('skips empty acquirer rows and keeps each error on its own row', () => {
    const contracts = [row('ACQ-CARD'), row('ACQ-JCB', 'J-1', '12345678'), row('ACQ-BANK')];
    expect(signUpSchema.parse({ ...valid, contracts }).contracts).toEqual([{ acquirerCode: 'ACQ-JCB', merchantNumber: 'J-1', pin: '12345678' }]);
    const wrong = [row('ACQ-CARD'), row('ACQ-JCB', 'J-1', ''), row('ACQ-BANK', '', '1234'), row('ACQ-X', 'B 1', '12a4')];
    expect(messages(signUpSchema.safeParse({ ...valid, contracts: wrong }))).toEqual({
      'contracts.1.pin': 'Enter the PIN you register for this merchant number.',
      'contracts.2.merchantNumber': 'Enter the merchant number that goes with this PIN.',
      'contracts.3.merchantNumber': 'Use letters, digits and hyphens only.',
      'contracts.3.pin': 'Enter a PIN of 4 to 8 digits.',
    });
  });

  it('requires at least one acquirer, and each acquirer once', () => {
    expect(messages(signUpSchema.safeParse({ ...valid, contracts: [row('ACQ-CARD'), row('ACQ-JCB')] }))).toEqual({
      contracts: 'Enter the merchant number and PIN for at least one acquirer.',
    });
    expect(messages(signUpSchema.safeParse({ ...valid, contracts: [] }))).toEqual({ contracts: 'Enter the merchant number and PIN for at least one acquirer.' });
    const { contracts: _contracts, ...withoutContracts } = valid;
    expect(messages(signUpSchema.safeParse(withoutContracts))).toEqual({ contracts: 'List the acquirers you have merchant contracts with.' });
    expect(messages(signUpSchema.safeParse({ ...valid, contracts: [row('ACQ-CARD', 'M-1', '1234'), row('ACQ-CARD', 'M-2', '5678')] }))).toEqual({
      'contracts.1.acquirerCode': 'This acquirer is listed twice.',
    });
  });

  it('bounds the number of rows and the merchant number', () => {
    const many = Array.from({ length: 21 }, (_, index) => row(`ACQ-${index}`, `M-${index}`, '1234'));
    expect(messages(signUpSchema.safeParse({ ...valid, contracts: many }))).toEqual({ contracts: 'List at most 20 acquirers.' });
    expect(messages(signUpSchema.safeParse({ ...valid, contracts: [row('ACQ-CARD', 'M'.repeat(41), '1234')] }))).toEqual({
      'contracts.0.merchantNumber': 'Use at most 40 characters.',
    });
  });
});

describe('contractApplicationSchema', () => {
  it('parses one application and requires all three fields', () => {
    expect(contractApplicationSchema.parse({ acquirerCode: 'ACQ-JCB', merchantNumber: 'j-sakura-0001', pin: '0000' })).toEqual({ acquirerCode: 'ACQ-JCB', merchantNumber: 'J-SAKURA-0001', pin: '0000' });
    expect(messages(contractApplicationSchema.safeParse({ acquirerCode: '', merchantNumber: '', pin: '' }))).toEqual({
      acquirerCode: 'Choose an acquirer.',
      merchantNumber: 'Enter the merchant number.',
      pin: 'Enter a PIN of 4 to 8 digits.',
    });
  });
});

describe('storeProfileSchema', () => {
  const valid = {
    name: 'Tea House',
    contactEmail: 'Shop@Example.com',
    phone: '+81 (3) 1234-5678',
    postalAddress: '1-2-3 Ginza\nChuo-ku, Tokyo',
    websiteUrl: 'https://tea.example.com',
    certificateAlertDays: '30',
  };

  it('parses a profile, lower-casing the e-mail and coercing the number of days', () => {
    expect(storeProfileSchema.parse(valid)).toEqual({ ...valid, contactEmail: 'shop@example.com', certificateAlertDays: 30 });
  });

  it('accepts empty optional fields', () => {
    expect(storeProfileSchema.parse({ ...valid, phone: '', postalAddress: '', websiteUrl: '' })).toMatchObject({ phone: '', postalAddress: '', websiteUrl: '' });
  });

  it('accepts a multi-line postal address as a browser submits it (CRLF) and stores plain newlines', () => {
    // A <textarea> in a submitted form sends its line breaks as CRLF.
    expect(storeProfileSchema.parse({ ...valid, postalAddress: '1-2-3 Ginza\r\nChuo-ku\r\nTokyo' }).postalAddress).toBe('1-2-3 Ginza\nChuo-ku\nTokyo');
  });

  it('counts a CRLF line break as one character, as the form does', () => {
    const lines = Array.from({ length: 10 }, () => 'x'.repeat(49)).join('\r\n'); // 490 + 9 line breaks = 499 as typed
    expect(storeProfileSchema.parse({ ...valid, postalAddress: lines }).postalAddress).toHaveLength(499);
  });

  it('refuses other control characters in the postal address', () => {
    for (const value of ['Ginza\u0000', 'Ginza\tChuo', 'Ginza\u001b', 'Ginza\u007f']) {
      expect(messages(storeProfileSchema.safeParse({ ...valid, postalAddress: value })), JSON.stringify(value)).toEqual({ postalAddress: 'Remove control characters.' });
    }
  });

  it('names each wrong field', () => {
    const result = storeProfileSchema.safeParse({
      name: 'x'.repeat(121),
      contactEmail: 'not-an-address',
      phone: 'call me',
      postalAddress: 'a'.repeat(501),
      websiteUrl: 'javascript:alert(1)',
      certificateAlertDays: '0',
    });
    expect(messages(result)).toEqual({
      name: 'Use at most 120 characters.',
      contactEmail: 'Enter a valid e-mail address.',
      phone: 'Enter a phone number of digits, spaces and + ( ) -.',
      postalAddress: 'Use at most 500 characters.',
      websiteUrl: 'Enter an http:// or https:// address.',
      certificateAlertDays: 'Use 1 day or more.',
    });
  });

  it('bounds the alert days to whole days between 1 and 365', () => {
    expect(messages(storeProfileSchema.safeParse({ ...valid, certificateAlertDays: '366' }))).toEqual({ certificateAlertDays: 'Use 365 days or fewer.' });
    expect(messages(storeProfileSchema.safeParse({ ...valid, certificateAlertDays: '1.5' }))).toEqual({ certificateAlertDays: 'Enter a whole number of days.' });
    expect(storeProfileSchema.parse({ ...valid, certificateAlertDays: '365' }).certificateAlertDays).toBe(365);
  });
});
