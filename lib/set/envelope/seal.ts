import { cryptoBackend } from '../crypto/backend';
import { base64UrlOf, concatBytes, utf8 } from '../encoding';
import type { Recipient } from '../keys';

/** Media type of a sealed SET message in the JWE `typ` header. */
export const SEALED_TYPE = 'set+jwe';

const uint32 = (value: number) => new Uint8Array([(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff]);
const lengthPrefixed = (bytes: Uint8Array) => concatBytes(uint32(bytes.length), bytes);

/**
 * The content key of ECDH-ES in direct key agreement (RFC 7518 §4.6.2): the
 * Concat KDF over Z with the `enc` value as AlgorithmID, empty PartyUInfo and
 * PartyVInfo, and a 256-bit key — one SHA-256 round.
 */
export async function concatKdf(sharedSecret: Uint8Array): Promise<Uint8Array> {
  const otherInfo = concatBytes(lengthPrefixed(utf8('A256GCM')), lengthPrefixed(new Uint8Array(0)), lengthPrefixed(new Uint8Array(0)), uint32(256));
  return cryptoBackend().sha256(concatBytes(uint32(1), sharedSecret, otherInfo));
}

/** An RSA recipient's protected header never changes: encode it once. */
const rsaHeaders = new WeakMap<Recipient, string>();

/**
 * Seals text for one recipient as a compact JWE (RFC 7516): RSA-OAEP-256 or
 * ECDH-ES key management, A256GCM content encryption with the encoded
 * protected header as additional data. `kid` names the recipient's
 * key-exchange certificate, so a party refuses at once what was sealed for
 * someone else.
 */
export async function seal(plaintext: string, recipient: Recipient): Promise<string> {
  const backend = cryptoBackend();
  let header: string;
  let contentKey: Uint8Array;
  let encryptedKey: Uint8Array;
  if (recipient.alg === 'RSA-OAEP-256') {
    let cached = rsaHeaders.get(recipient);
    if (!cached) rsaHeaders.set(recipient, (cached = base64UrlOf(utf8(JSON.stringify({ alg: recipient.alg, enc: 'A256GCM', kid: recipient.kid, typ: SEALED_TYPE })))));
    header = cached;
    contentKey = backend.randomBytes(32);
    encryptedKey = await backend.rsaOaepEncrypt(recipient.publicKey, contentKey);
  } else {
    const { sharedSecret, epk } = await backend.ecdhEphemeral(recipient.publicKey);
    header = base64UrlOf(utf8(JSON.stringify({ alg: recipient.alg, enc: 'A256GCM', kid: recipient.kid, typ: SEALED_TYPE, epk: { kty: 'EC', crv: 'P-256', x: epk.x, y: epk.y } })));
    contentKey = await concatKdf(sharedSecret);
    encryptedKey = new Uint8Array(0);
  }
  const iv = backend.randomBytes(12);
  const { ciphertext, tag } = await backend.aesGcmEncrypt(contentKey, iv, utf8(plaintext), utf8(header));
  return `${header}.${base64UrlOf(encryptedKey)}.${base64UrlOf(iv)}.${base64UrlOf(ciphertext)}.${base64UrlOf(tag)}`;
}
