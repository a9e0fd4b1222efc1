import { CompactSign } from 'jose';
import { utf8 } from '../encoding';
import type { Signer } from '../keys';

/** Media type of a signed SET message in the JWS `typ` header. */
export const SIGNED_TYPE = 'set+jws';

/**
 * Signs exact payload bytes as a compact JWS whose `x5c` carries the signer's
 * chain, so the receiver can validate who signed without a directory lookup.
 */
export async function signPayload(payload: string, signer: Signer): Promise<string> {
  return new CompactSign(utf8(payload)).setProtectedHeader({ alg: signer.alg, typ: SIGNED_TYPE, x5c: signer.x5c }).sign(signer.privateKey);
}

/**
 * Signs with a key that has no certificate yet (a CertReq, signed by the key
 * being certified); the receiver takes the public key from the CSR.
 */
export async function signWithBareKey(payload: string, privateKey: CryptoKey, alg: 'PS256' | 'ES256'): Promise<string> {
  return new CompactSign(utf8(payload)).setProtectedHeader({ alg, typ: SIGNED_TYPE }).sign(privateKey);
}
