/**
 * Our compact JWS/JWE codec against jose, the reference implementation: what
 * we sign and seal, jose verifies and opens; what jose signs and seals, we
 * verify and open. Runs on both backends (see vitest.config.ts).
 */
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, type KeyAlgorithm } from '@/lib/pki';
import { cryptoBackend } from '../crypto/backend';
import { base64UrlOf, fromBase64Url, utf8 } from '../encoding';
import type { KeyExchangeIdentity, Recipient } from '../keys';
import { unseal, verifyCompact } from './open';
import { seal, SEALED_TYPE } from './seal';
import { signWithBareKey, SIGNED_TYPE } from './sign';

describe.each(['RSA-2048', 'P-256'] as const)(`compact JOSE interoperability with jose (%s, backend ${cryptoBackend().name})`, (algorithm: KeyAlgorithm) => {
  const alg = algorithm === 'P-256' ? 'ES256' : 'PS256';
  const sealAlg = algorithm === 'P-256' ? 'ECDH-ES' : 'RSA-OAEP-256';
  let signing: { publicKey: CryptoKey; privateKey: CryptoKey };
  let me: KeyExchangeIdentity;
  let recipient: Recipient;
  const payload = JSON.stringify({ msg: 'AuthReq', note: 'ünïcödé ✓', amount: 12_800 });

  beforeAll(async () => {
    signing = await generateKeyPair({ algorithm, purpose: 'signature' });
    const exchange = await generateKeyPair({ algorithm, purpose: 'keyExchange' });
    const kid = base64UrlOf(utf8('test-recipient-key-id-0000000000000000000'));
    me = { privateKey: exchange.privateKey, chain: [], x5c: [], thumbprint: kid, alg: sealAlg };
    recipient = { publicKey: exchange.publicKey, kid, alg: sealAlg };
  });

  it('jose verifies what we sign', async () => {
    const token = await signWithBareKey(payload, signing.privateKey, alg);
    const { payload: verified, protectedHeader } = await compactVerify(token, signing.publicKey, { algorithms: [alg] });
    expect(new TextDecoder().decode(verified)).toBe(payload);
    expect(protectedHeader).toEqual({ alg, typ: SIGNED_TYPE });
  });

  it('we verify what jose signs, and refuse it with one payload byte changed', async () => {
    const token = await new CompactSign(utf8(payload)).setProtectedHeader({ alg, typ: SIGNED_TYPE }).sign(signing.privateKey);
    expect(await verifyCompact(token, signing.publicKey, alg)).toBe(payload);
    const [header, body, signature] = token.split('.') as [string, string, string];
    const altered = `${header}.${base64UrlOf(utf8(payload.replace('12800', '12801')))}.${signature}`;
    expect(body).not.toBe(altered.split('.')[1]);
    await expect(verifyCompact(altered, signing.publicKey, alg)).rejects.toMatchObject({ code: 'signature_invalid' });
  });

  it('jose opens what we seal', async () => {
    const token = await seal(payload, recipient);
    const { plaintext, protectedHeader } = await compactDecrypt(token, me.privateKey, { keyManagementAlgorithms: [sealAlg], contentEncryptionAlgorithms: ['A256GCM'] });
    expect(new TextDecoder().decode(plaintext)).toBe(payload);
    expect(protectedHeader).toMatchObject({ alg: sealAlg, enc: 'A256GCM', kid: recipient.kid, typ: SEALED_TYPE });
  });

  it('we open what jose seals, and refuse it with the tag changed', async () => {
    const token = await new CompactEncrypt(utf8(payload)).setProtectedHeader({ alg: sealAlg, enc: 'A256GCM', kid: recipient.kid, typ: SEALED_TYPE }).encrypt(recipient.publicKey);
    expect(await unseal(token, me)).toBe(payload);
    const parts = token.split('.');
    const tag = parts[4]!;
    parts[4] = (tag[0] === 'A' ? 'B' : 'A') + tag.slice(1);
    await expect(unseal(parts.join('.'), me)).rejects.toMatchObject({ code: 'decryption_failed' });
  });
});

describe(`RSA signatures and encrypted keys are exactly k octets (backend ${cryptoBackend().name})`, () => {
  const payload = 'a signed or sealed message';
  let signing: { publicKey: CryptoKey; privateKey: CryptoKey };
  let me: KeyExchangeIdentity;
  let recipient: Recipient;

  beforeAll(async () => {
    signing = await generateKeyPair({ algorithm: 'RSA-2048', purpose: 'signature' });
    const exchange = await generateKeyPair({ algorithm: 'RSA-2048', purpose: 'keyExchange' });
    const kid = base64UrlOf(utf8('test-recipient-key-id-0000000000000000000'));
    me = { privateKey: exchange.privateKey, chain: [], x5c: [], thumbprint: kid, alg: 'RSA-OAEP-256' };
    recipient = { publicKey: exchange.publicKey, kid, alg: 'RSA-OAEP-256' };
  });

  // About one in 256 begins with a zero byte, and OpenSSL would take it without that byte too.
  it('refuses an RSA-PSS signature one byte short, even where it is the same number (leading zero dropped)', async () => {
    let token = '';
    for (let attempt = 0; attempt < 10_000 && fromBase64Url(token.split('.')[2] ?? '')[0] !== 0; attempt++) token = await signWithBareKey(`${payload} ${attempt}`, signing.privateKey, 'PS256');
    const parts = token.split('.');
    const signature = fromBase64Url(parts[2]!);
    expect([signature.length, signature[0]]).toEqual([256, 0]);
    await expect(verifyCompact(token, signing.publicKey, 'PS256')).resolves.toMatch(payload);
    parts[2] = base64UrlOf(signature.subarray(1));
    await expect(verifyCompact(parts.join('.'), signing.publicKey, 'PS256')).rejects.toMatchObject({ code: 'signature_invalid' });
  });

  it('refuses an RSA-OAEP encrypted key one byte short, even where it is the same number (leading zero dropped)', async () => {
    let token = '';
    for (let attempt = 0; attempt < 10_000 && fromBase64Url(token.split('.')[1] ?? '')[0] !== 0; attempt++) token = await seal(payload, recipient);
    const parts = token.split('.');
    const encryptedKey = fromBase64Url(parts[1]!);
    expect([encryptedKey.length, encryptedKey[0]]).toEqual([256, 0]);
    expect(await unseal(token, me)).toBe(payload);
    parts[1] = base64UrlOf(encryptedKey.subarray(1));
    await expect(unseal(parts.join('.'), me)).rejects.toMatchObject({ code: 'decryption_failed' });
  });
});
