/**
 * The Node backend: OpenSSL through node:crypto, synchronously (see
 * backend.ts for why). Only server code imports this file; the wallet in the
 * browser never does.
 */
import { createCipheriv, createECDH, createDecipheriv, createHash, createPublicKey, diffieHellman, KeyObject, privateDecrypt, publicEncrypt, randomBytes, sign, verify, constants } from 'node:crypto';
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
    // An ECDH object, not a generated KeyObject: Node 20 can deadlock exporting a key that generateKeyPairSync
    // made, when a garbage collection during the export destroys the generating job, whose destructor takes the
    // lock the export holds (seen as a simulator and a benchmark process hanging for ever under load).
    const ephemeral = createECDH('prime256v1');
    const point = ephemeral.generateKeys();
    const sharedSecret = ephemeral.computeSecret(uncompressedPoint(keyObject(recipient)));
    return { sharedSecret, epk: { x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') } };
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

/** A P-256 public key as the uncompressed point (0x04 ‖ X ‖ Y) that an ECDH object takes, kept per key object. */
const points = new WeakMap<KeyObject, Buffer>();
function uncompressedPoint(publicKey: KeyObject): Buffer {
  let point = points.get(publicKey);
  if (!point) {
    const jwk = publicKey.export({ format: 'jwk' });
    if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) throw new Error('ECDH needs a P-256 public key');
    point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
    points.set(publicKey, point);
  }
  return point;
}
