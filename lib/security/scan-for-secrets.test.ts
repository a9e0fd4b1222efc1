import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanText, secretPatterns } from './scan-for-secrets';

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
