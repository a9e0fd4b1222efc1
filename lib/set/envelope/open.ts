import { compactDecrypt, compactVerify, decodeProtectedHeader } from 'jose';
import type { ChainValidator, CertificateRole, ValidatedCertificate } from '@/lib/pki';
import { fromUtf8 } from '../encoding';
import { asSetError, SetError } from '../errors';
import { verificationKey, type KeyExchangeIdentity } from '../keys';
import { SEALED_TYPE } from './seal';
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

function header(token: string): Record<string, unknown> {
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw new SetError('malformed_message', 'The protected header is not valid JSON.');
  }
}

/** Opens a JWE sealed to `me`; refuses one sealed to another key before trying to decrypt. */
export async function unseal(raw: unknown, me: KeyExchangeIdentity, maxBytes?: number): Promise<string> {
  const token = checkEnvelope(raw, 'jwe', maxBytes);
  const protectedHeader = header(token);
  if (protectedHeader.typ !== SEALED_TYPE) throw new SetError('malformed_message', 'Not a sealed SET message.');
  // Whom it is for comes first: a message for another party is that, whatever its algorithm.
  if (protectedHeader.kid !== me.thumbprint) throw new SetError('not_for_this_recipient', 'The message was sealed for another key.');
  if (protectedHeader.alg !== me.alg || protectedHeader.enc !== 'A256GCM') {
    throw new SetError('unsupported_algorithm', `Sealed messages to this party use ${me.alg} with A256GCM.`);
  }
  try {
    const { plaintext } = await compactDecrypt(token, me.privateKey, { keyManagementAlgorithms: [me.alg], contentEncryptionAlgorithms: ['A256GCM'] });
    return fromUtf8(plaintext);
  } catch {
    throw new SetError('decryption_failed', 'The sealed message could not be opened.');
  }
}

export interface VerifiedSignature {
  payload: string;
  signer: ValidatedCertificate;
}

/**
 * Verifies a compact JWS: its `x5c` chain must validate to a pinned root as a
 * signature certificate of an accepted role, and the signature must be that
 * certificate's.
 */
export async function verifySigned(raw: unknown, validator: ChainValidator, roles: readonly CertificateRole[], maxBytes?: number): Promise<VerifiedSignature> {
  const token = checkEnvelope(raw, 'jws', maxBytes);
  const protectedHeader = header(token);
  if (protectedHeader.typ !== SIGNED_TYPE) throw new SetError('malformed_message', 'Not a signed SET message.');
  if (protectedHeader.alg !== 'PS256' && protectedHeader.alg !== 'ES256') throw new SetError('unsupported_algorithm', 'SET messages are signed with PS256 or ES256.');
  const x5c = protectedHeader.x5c;
  if (!Array.isArray(x5c) || x5c.length === 0 || !x5c.every((entry) => typeof entry === 'string')) {
    throw new SetError('malformed_message', 'The signature carries no certificate chain (x5c).');
  }
  const signer = await asSetError(() => validator.validate(x5c as string[], { usage: 'signature', roles }));
  const key = await verificationKey(signer);
  const expectedAlg = key.algorithm.name === 'ECDSA' ? 'ES256' : 'PS256';
  if (protectedHeader.alg !== expectedAlg) throw new SetError('unsupported_algorithm', `This signer's key signs with ${expectedAlg}.`);
  try {
    const { payload } = await compactVerify(token, key, { algorithms: [expectedAlg] });
    return { payload: fromUtf8(payload), signer };
  } catch {
    throw new SetError('signature_invalid', 'The signature does not match the message.');
  }
}
