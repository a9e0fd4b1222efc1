import { certificateSigningAlgorithm, keyAlgorithmOf, type KeyAlgorithm } from './algorithms';
import { PkiError } from './errors';
import { toJsonName, type SubjectName } from './names';
import { x509 } from './x509';

/** Largest CSR accepted, before it is parsed. */
export const MAX_CSR_BYTES = 8 * 1024;

/**
 * A PKCS#10 request for a signature key, signed by that key (proof of
 * possession). Key-exchange keys cannot sign; their possession is proven by
 * reading the CertRes, which the CA seals to them (see lib/set cert-req).
 */
export async function createCsr(options: { keys: { publicKey: CryptoKey; privateKey: CryptoKey }; subject: SubjectName }): Promise<string> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: toJsonName(options.subject),
    keys: { publicKey: options.keys.publicKey, privateKey: options.keys.privateKey },
    signingAlgorithm: certificateSigningAlgorithm(options.keys.privateKey),
  });
  return csr.toString('pem');
}

export interface VerifiedCsr {
  /** The requester's public key as SPKI DER. */
  publicKey: Uint8Array;
  algorithm: KeyAlgorithm;
  subject: string;
}

/** Parses a PEM CSR and checks its self-signature; the size is checked before parsing. */
export async function verifyCsr(pem: string): Promise<VerifiedCsr> {
  if (typeof pem !== 'string' || pem.length > MAX_CSR_BYTES) throw new PkiError('malformed_csr', `A CSR is a PEM string of at most ${MAX_CSR_BYTES} bytes.`);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(pem);
  } catch {
    throw new PkiError('malformed_csr', 'The CSR is not a valid PKCS#10 request.');
  }
  const algorithm = keyAlgorithmOf(csr.publicKey.algorithm as Algorithm & { modulusLength?: number; namedCurve?: string });
  let valid = false;
  try {
    valid = await csr.verify();
  } catch {
    valid = false;
  }
  if (!valid) throw new PkiError('csr_signature_invalid', 'The CSR is not signed by the key it requests a certificate for.');
  return { publicKey: new Uint8Array(csr.publicKey.rawData), algorithm, subject: csr.subject };
}
