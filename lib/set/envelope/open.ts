import type { ChainValidator, CertificateRole, ValidatedCertificate } from '@/lib/pki';
import { cryptoBackend, type SigningAlg } from '../crypto/backend';
import { fromBase64Url, fromUtf8, utf8 } from '../encoding';
import { asSetError, SetError } from '../errors';
import { verificationKey, type KeyExchangeIdentity } from '../keys';
import { concatKdf, SEALED_TYPE } from './seal';
import { SIGNED_TYPE } from './sign';

/** Default largest message accepted; checked before anything is parsed. */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const compactJwe = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Refuses what is not a string, is too large, or is not compact JOSE of the expected shape — before any parsing. */
export function checkEnvelope(raw: unknown, shape: 'jws' | 'jwe', maxBytes = DEFAULT_MAX_MESSAGE_BYTES): string {
  if (typeof raw !== 'string') throw new SetError('malformed_message', 'A SET message is a compact JOSE string.');
  if (raw.length > maxBytes) throw new SetError('message_too_large', `A SET message is at most ${maxBytes} bytes.`);
  if (!(shape === 'jws' ? compactJws : compactJwe).test(raw)) {
    throw new SetError('malformed_message', `The message is not a compact ${shape === 'jws' ? 'JWS' : 'JWE'}.`);
  }
  return raw;
}

/**
 * Decoded protected headers by their encoded form. A party sees the same few
 * headers again and again (one per peer certificate chain), and a header with
 * its `x5c` is several kilobytes of JSON.
 */
const headers = new Map<string, Readonly<Record<string, unknown>>>();
const HEADER_CACHE_LIMIT = 2_000;

function decodeHeader(segment: string): Readonly<Record<string, unknown>> {
  const cached = headers.get(segment);
  if (cached) return cached;
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(fromBase64Url(segment)));
  } catch {
    throw new SetError('malformed_message', 'The protected header is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SetError('malformed_message', 'The protected header is not a JSON object.');
  // Extensions this implementation does not know must not be ignored (RFC 7515 §4.1.11).
  if ('crit' in value || 'zip' in value) throw new SetError('unsupported_algorithm', 'Critical header extensions and compression are not accepted.');
  const header = Object.freeze(value as Record<string, unknown>);
  if (headers.size >= HEADER_CACHE_LIMIT) headers.delete(headers.keys().next().value as string);
  headers.set(segment, header);
  return header;
}

function decodeSegment(segment: string): Uint8Array {
  try {
    return fromBase64Url(segment);
  } catch {
    throw new SetError('malformed_message', 'A segment is not base64url.');
  }
}

/** Opens a JWE sealed to `me`; refuses one sealed to another key before trying to decrypt. */
export async function unseal(raw: unknown, me: KeyExchangeIdentity, maxBytes?: number): Promise<string> {
  const token = checkEnvelope(raw, 'jwe', maxBytes);
  const [encodedHeader, encodedKey, encodedIv, encodedCiphertext, encodedTag] = token.split('.') as [string, string, string, string, string];
  const header = decodeHeader(encodedHeader);
  if (header.typ !== SEALED_TYPE) throw new SetError('malformed_message', 'Not a sealed SET message.');
  // Whom it is for comes first: a message for another party is that, whatever its algorithm.
  if (header.kid !== me.thumbprint) throw new SetError('not_for_this_recipient', 'The message was sealed for another key.');
  if (header.alg !== me.alg || header.enc !== 'A256GCM') {
    throw new SetError('unsupported_algorithm', `Sealed messages to this party use ${me.alg} with A256GCM.`);
  }
  const backend = cryptoBackend();
  const iv = decodeSegment(encodedIv);
  const tag = decodeSegment(encodedTag);
  const encryptedKey = decodeSegment(encodedKey);
  const ciphertext = decodeSegment(encodedCiphertext);
  // One answer for every failure below: which step failed is nobody's business (no padding or key oracle).
  const failed = () => new SetError('decryption_failed', 'The sealed message could not be opened.');
  if (iv.length !== 12 || tag.length !== 16) throw failed();
  let contentKey: Uint8Array;
  try {
    if (me.alg === 'RSA-OAEP-256') {
      // RFC 8017 §7.1.2 step 1b. OpenSSL also takes a ciphertext with a leading zero byte dropped: a second
      // encoding of one encrypted key.
      if (encryptedKey.length !== rsaModulusOctets(me.privateKey)) throw failed();
      contentKey = await backend.rsaOaepDecrypt(me.privateKey, encryptedKey);
    } else {
      const epk = header.epk as { kty?: unknown; crv?: unknown; x?: unknown; y?: unknown } | undefined;
      if (encryptedKey.length !== 0 || !epk || epk.kty !== 'EC' || epk.crv !== 'P-256' || typeof epk.x !== 'string' || typeof epk.y !== 'string') throw failed();
      contentKey = await concatKdf(await backend.ecdhDerive(me.privateKey, { x: epk.x, y: epk.y }));
    }
  } catch {
    throw failed();
  }
  if (contentKey.length !== 32) throw failed();
  let plaintext: Uint8Array;
  try {
    plaintext = await backend.aesGcmDecrypt(contentKey, iv, ciphertext, tag, utf8(encodedHeader));
  } catch {
    throw failed();
  }
  try {
    return fromUtf8(plaintext);
  } catch {
    throw new SetError('malformed_message', 'The sealed content is not UTF-8.');
  }
}

/**
 * Verifies a compact JWS with a known key and algorithm; answers the payload
 * text. Throws `signature_invalid` when the signature is not the key's.
 */
export async function verifyCompact(token: string, key: CryptoKey, alg: SigningAlg): Promise<string> {
  const [encodedHeader, encodedPayload, encodedSignature] = token.split('.') as [string, string, string];
  const signature = decodeSegment(encodedSignature);
  // A signature is exactly k octets (RFC 8017 §8.1.2 step 1; RFC 7518 §3.4 for ES256). OpenSSL also takes an
  // RSA signature with a leading zero byte dropped: a second encoding of one signature.
  if (signature.length !== (alg === 'ES256' ? 64 : rsaModulusOctets(key))) throw new SetError('signature_invalid', 'The signature does not match the message.');
  let valid = false;
  try {
    valid = await cryptoBackend().verify(alg, key, utf8(`${encodedHeader}.${encodedPayload}`), signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new SetError('signature_invalid', 'The signature does not match the message.');
  try {
    return fromUtf8(decodeSegment(encodedPayload));
  } catch {
    throw new SetError('malformed_message', 'The payload is not UTF-8.');
  }
}

/** k, the length in octets of an RSA key's modulus: the one length of its signatures and OAEP ciphertexts. */
function rsaModulusOctets(key: CryptoKey): number {
  return Math.ceil((key.algorithm as RsaHashedKeyAlgorithm).modulusLength / 8);
}

/** The protected header of a compact JWS or JWE, decoded (for callers that route on it). */
export function protectedHeaderOf(token: string): Readonly<Record<string, unknown>> {
  return decodeHeader(token.slice(0, token.indexOf('.')));
}

export interface VerifiedSignature {
  payload: string;
  signer: ValidatedCertificate;
}

/**
 * Verifies a compact JWS: its `x5c` chain must validate to a pinned root as a
 * signature certificate of an accepted role, and the signature must be that
 * certificate's. `typ` is the kind of signed object expected (a SET message
 * by default).
 */
export async function verifySigned(
  raw: unknown,
  validator: ChainValidator,
  roles: readonly CertificateRole[],
  maxBytes?: number,
  typ = SIGNED_TYPE,
): Promise<VerifiedSignature> {
  const token = checkEnvelope(raw, 'jws', maxBytes);
  const header = protectedHeaderOf(token);
  if (header.typ !== typ) throw new SetError('malformed_message', `Not a signed ${typ === SIGNED_TYPE ? 'SET message' : typ}.`);
  if (header.alg !== 'PS256' && header.alg !== 'ES256') throw new SetError('unsupported_algorithm', 'Signatures here are PS256 or ES256.');
  const x5c = header.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((entry) => typeof entry === 'string')) {
    throw new SetError('malformed_message', 'The signature carries no certificate chain (x5c).');
  }
  const signer = await asSetError(() => validator.validate(x5c as string[], { usage: 'signature', roles }));
  const key = await verificationKey(signer);
  const expectedAlg = key.algorithm.name === 'ECDSA' ? 'ES256' : 'PS256';
  if (header.alg !== expectedAlg) throw new SetError('unsupported_algorithm', `This signer's key signs with ${expectedAlg}.`);
  return { payload: await verifyCompact(token, key, expectedAlg), signer };
}
