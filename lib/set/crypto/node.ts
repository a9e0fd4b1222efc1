/**
 * The Node backend: OpenSSL through node:crypto, synchronously (see
 * backend.ts for why). Only server code imports this file; the wallet in the
 * browser never does.
 */
import { createCipheriv, createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, KeyObject, privateDecrypt, publicEncrypt, randomBytes, sign, verify, constants } from 'node:crypto';
import type { CryptoBackend, SigningAlg } from './backend';

const keyObjects = new WeakMap<CryptoKey, KeyObject>();

/** The KeyObject of a CryptoKey, made once per key. */
function keyObject(key: CryptoKey): KeyObject {
  let object = keyObjects.get(key);
  if (!object) {
    object = KeyObject.from(key);
    keyObjects.set(key, object);
  }
  return object;
}

function signingOptions(alg: SigningAlg, key: CryptoKey) {
  return alg === 'PS256'
    ? { key: keyObject(key), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    : { key: keyObject(key), dsaEncoding: 'ieee-p1363' as const };
}

export const nodeCryptoBackend: CryptoBackend = {
  name: 'node',
  async sign(alg, privateKey, data) {
    return sign('sha256', data, signingOptions(alg, privateKey));
  },
  async verify(alg, publicKey, data, signature) {
    return verify('sha256', data, signingOptions(alg, publicKey), signature);
  },
  async rsaOaepEncrypt(publicKey, data) {
    return publicEncrypt({ key: keyObject(publicKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data);
  },
  async rsaOaepDecrypt(privateKey, data) {
    return privateDecrypt({ key: keyObject(privateKey), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data);
  },
  async ecdhEphemeral(recipient) {
    const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const sharedSecret = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: keyObject(recipient) });
    const jwk = ephemeral.publicKey.export({ format: 'jwk' });
    return { sharedSecret, epk: { x: jwk.x!, y: jwk.y! } };
  },
  async ecdhDerive(privateKey, epk) {
    // Importing checks that the point is on P-256 (no invalid-curve attack).
    const publicKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: epk.x, y: epk.y }, format: 'jwk' });
    return diffieHellman({ privateKey: keyObject(privateKey), publicKey });
  },
  async aesGcmEncrypt(key, iv, plaintext, aad) {
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { ciphertext, tag: cipher.getAuthTag() };
  },
  async aesGcmDecrypt(key, iv, ciphertext, tag, aad) {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  },
  async sha256(data) {
    return createHash('sha256').update(data).digest();
  },
  randomBytes(length) {
    return randomBytes(length);
  },
};
