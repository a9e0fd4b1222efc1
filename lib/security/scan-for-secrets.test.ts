import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { failOnSecretFindings, isCardNumber, isSecretFieldName, passesLuhn, scanText, secretPatterns } from './scan-for-secrets';

const masterKey = randomBytes(32);
const patterns = secretPatterns(`1:${randomBytes(32).toString('base64url')},2:${masterKey.toString('base64url')}`);

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const ed25519 = generateKeyPairSync('ed25519').privateKey;

describe('scanning for secrets in clear', () => {
  it('finds a private key as PEM, as DER in hex (a bytea column), base64 and base64url (JSON, logs), wherever it sits', () => {
    for (const key of [ec, rsa, ed25519]) {
      const der = key.export({ format: 'der', type: 'pkcs8' });
      for (const padding of ['', 'x', 'xy', 'some log line: ']) {
        expect(scanText('pem', padding + (key.export({ format: 'pem', type: 'pkcs8' }) as string), patterns).map((finding) => finding.kind)).toContain('pem_private_key');
        expect(scanText('hex', `${padding}\\x${der.toString('hex')}`, patterns).map((finding) => finding.kind)).toContain('pkcs8_private_key');
        for (let shift = 0; shift < 3; shift++) {
          const shifted = Buffer.concat([randomBytes(shift), der]);
          expect(scanText('b64', padding + shifted.toString('base64'), patterns).map((finding) => finding.kind)).toContain('pkcs8_private_key');
          expect(scanText('b64url', padding + shifted.toString('base64url'), patterns).map((finding) => finding.kind)).toContain('pkcs8_private_key');
        }
      }
    }
  });

  it('finds a master key in any of its encodings, also inside other bytes', () => {
    for (let shift = 0; shift < 3; shift++) {
      const shifted = Buffer.concat([randomBytes(shift), masterKey, randomBytes(5)]);
      for (const text of [shifted.toString('hex'), shifted.toString('base64'), shifted.toString('base64url'), `MASTER_KEYS=2:${masterKey.toString('base64url')}`]) {
        expect(scanText('text', text, patterns).map((finding) => finding.kind)).toContain('master_key');
      }
    }
  });

  it('finds nothing in what may be stored: public keys, certificates, wrapped keys, random bytes', () => {
    const publicPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }) as string;
    const noise = randomBytes(4096);
    const findings = scanText('clean', [publicPem, noise.toString('hex'), noise.toString('base64'), 'PUBLIC KEY', 'encryptedPrivateKey'].join('\n'), patterns);
    expect(findings).toEqual([]);
  });
});

const kindsIn = (text: string) => scanText('text', text, patterns).map((finding) => finding.kind);

describe('scanning for card numbers in clear', () => {
  // The suites' test cards (sim/acquirer/issuer.ts) and the brands' published test numbers.
  const testCards = ['4111111111111111', '4000000000000002', '5555555555554444', '2223003122003222', '378282246310005', '3530111333300000', '36227206271667', '6011111111111117', '6200000000000005', '4222222222222'];

  it('finds every test card number, run together or grouped, wherever it sits', () => {
    for (const pan of testCards) {
      const grouped = pan.length === 15 ? `${pan.slice(0, 4)} ${pan.slice(4, 10)} ${pan.slice(10)}` : pan.replace(/(\d{4})(?=\d)/g, '$1 ');
      for (const text of [
        pan,
        `{"pan":"${pan}","expiry":"2031-12"}`,
        `cardNumber=${pan}&expiryMonth=12`,
        `[app] payment failed pan=${pan} reason=declined`,
        `(42,"{""pan"": ""${pan}""}")`,
        grouped,
        grouped.replaceAll(' ', '-'),
      ]) {
        expect(kindsIn(text), text).toContain('card_number');
      }
    }
  });

  it('takes masked numbers (first six, last four) for what they are, and finds masks that show more', () => {
    for (const masked of ['411111******1111', '{"maskedPan":"555555******4444"}', '3530 11** **** 0000', '************1111']) {
      expect(kindsIn(masked), masked).toEqual([]);
    }
    for (const overexposed of ['41111111****1111', '411111******11111', '4111111111XXX111']) {
      expect(kindsIn(overexposed), overexposed).toContain('card_number_unmasked_digits');
    }
  });

  it('finds nothing in what looks like numbers but is not a card: ids, hashes, timestamps, amounts, longer runs', () => {
    const texts = [
      // Epoch milliseconds and nanoseconds start with 1; no brand does.
      '1733459200000',
      '1733459200123456789',
      // A Luhn-valid card's digits inside a longer number, a hex hash or a word are not a card number.
      '941111111111111112',
      'a4111111111111111f',
      'id4111111111111111',
      '4111111111111111111111',
      // Amounts and the largest integers a fuzzer sends.
      '{"amount":9007199254740991}',
      '99999999999999999999',
      '-9223372036854775808',
      // A 16-digit number of a brand's prefix that fails the Luhn check.
      '4111111111111112',
      // Dates, phone numbers, merchant numbers, BINs.
      '2026-12-06 04:26:49.123',
      '+81 3 1234 5678',
      'M-SAKURA-0001 J-SAKURA-0001',
      '{"bin":"411111"}',
    ];
    for (const text of texts) expect(kindsIn(text), text).toEqual([]);
  });

  it('finds no card number in random hex, base64 and UUIDs', () => {
    const noise = [randomBytes(8192).toString('hex'), randomBytes(8192).toString('base64'), Array.from({ length: 200 }, () => crypto.randomUUID()).join(',')].join('\n');
    expect(kindsIn(noise)).toEqual([]);
  });
});

describe('scanning for security codes and PINs in clear', () => {
  it('finds a security code or PIN as the value of its field in JSON, forms, multipart bodies, logs and dumps', () => {
    const texts = [
      '{"pan":"x","expiry":"2031-12","cvc":"123"}',
      '{"cvv2": 987}',
      '{"card":{"securityCode":"4321"}}',
      'securityCode=123&expiryYear=2031',
      'card_cvv=123',
      '[app] contract application contractPin=1234 merchant=M-1',
      'recoveryPin: 567890',
      '{\\"pin\\":\\"1234\\"}',
      '(7,"{""contractPin"": ""1234""}")',
      '_1_pin=1234',
      'Content-Disposition: form-data; name="pin"\r\n\r\n1234\r\n',
      'Content-Disposition: form-data; name="1_securityCode"\r\nContent-Type: text/plain\r\n\r\n123\r\n',
    ];
    for (const text of texts) expect(kindsIn(text), text).toContain('security_code_or_pin');
  });

  it('finds nothing where the value is hashed, masked or empty, or the field is something else', () => {
    const texts = [
      '{"pinHash":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}',
      '{"contractPin":"****"}',
      '{"cvc":""}',
      '{"securityCode":null}',
      'pin=',
      '{"recoveryPinSetAt":"2026-12-06T04:00:00Z"}',
      '{"pinAttempts":3,"pinned":1234,"spin":5678}',
      '{"authCode":"123456","xid":"0123456789abcdef"}',
      '{"code":"123","status":402}',
      'pinFailures=3',
    ];
    for (const text of texts) expect(kindsIn(text), text).toEqual([]);
  });

  it('names the fields of security codes and PINs by their last word', () => {
    for (const name of ['cvc', 'CVC', 'cvv2', 'cardCvc', 'card_cvv', 'securityCode', 'security_code', 'SECURITY-CODE', 'pin', 'PIN', 'contractPin', 'recoveryPin', '1_pin', '_1_contractPin']) expect(isSecretFieldName(name), name).toBe(true);
    for (const name of ['pinHash', 'spin', 'pinned', 'pinAttempts', 'code', 'authCode', 'cvcChecked', 'shipping', 'opinion']) expect(isSecretFieldName(name), name).toBe(false);
  });

  it('checks card numbers with the Luhn algorithm', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
    expect(isCardNumber('4111111111111111')).toBe(true);
    expect(isCardNumber('1111111111111117')).toBe(false);
  });
});

describe('failing a run on findings', () => {
  it('throws and sets the exit code when there are findings, and does nothing without', () => {
    const previous = process.exitCode;
    try {
      expect(() => failOnSecretFindings([], 'the tests')).not.toThrow();
      expect(process.exitCode).toBe(previous);
      expect(() => failOnSecretFindings(scanText('log', 'cvc=123', patterns), 'the tests')).toThrow(/secrets in clear after the tests: .*security_code_or_pin/);
      expect(process.exitCode).toBe(1);
    } finally {
      process.exitCode = previous;
    }
  });
});
