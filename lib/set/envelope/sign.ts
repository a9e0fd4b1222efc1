import { base64UrlOf, utf8 } from '../encoding';
import { cryptoBackend, type SigningAlg } from '../crypto/backend';
import type { Signer } from '../keys';

/** Media type of a signed SET message in the JWS `typ` header. */
export const SIGNED_TYPE = 'set+jws';

/** The encoded protected header of a signer never changes: encode it once. */
const encodedHeaders = new WeakMap<Signer, Map<string, string>>();

function encodedHeader(signer: Signer, typ: string): string {
  let byType = encodedHeaders.get(signer);
  if (!byType) encodedHeaders.set(signer, (byType = new Map()));
  let header = byType.get(typ);
  if (!header) byType.set(typ, (header = base64UrlOf(utf8(JSON.stringify({ alg: signer.alg, typ, x5c: signer.x5c })))));
  return header;
}

async function compactSign(header: string, payload: string, alg: SigningAlg, privateKey: CryptoKey): Promise<string> {
  const signingInput = `${header}.${base64UrlOf(utf8(payload))}`;
  const signature = await cryptoBackend().sign(alg, privateKey, utf8(signingInput));
  return `${signingInput}.${base64UrlOf(signature)}`;
}

/**
 * Signs exact payload bytes as a compact JWS (RFC 7515) whose `x5c` carries
 * the signer's chain, so the receiver can validate who signed without a
 * directory lookup. `typ` separates kinds of signed objects (a SET message
 * cannot pass as an acquirer request signature, or the reverse).
 */
export async function signPayload(payload: string, signer: Signer, typ = SIGNED_TYPE): Promise<string> {
  return compactSign(encodedHeader(signer, typ), payload, signer.alg, signer.privateKey);
}

/**
 * Signs with a key that has no certificate yet (a CertReq, signed by the key
 * being certified); the receiver takes the public key from the CSR.
 */
export async function signWithBareKey(payload: string, privateKey: CryptoKey, alg: SigningAlg): Promise<string> {
  return compactSign(base64UrlOf(utf8(JSON.stringify({ alg, typ: SIGNED_TYPE }))), payload, alg, privateKey);
}
