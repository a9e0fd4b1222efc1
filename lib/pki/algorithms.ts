import { PkiError } from './errors';

/** Key algorithms a certificate may carry. */
export type KeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'P-256';
export const keyAlgorithms: readonly KeyAlgorithm[] = ['RSA-2048', 'RSA-3072', 'P-256'];

/** What a key is for. SET keeps signing and key-exchange keys apart: a certificate holds one or the other. */
export type KeyPurpose = 'signature' | 'keyExchange';

const rsaBase = { publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;

/** The WebCrypto algorithm of a key, by algorithm and purpose: PSS / ECDSA to sign, OAEP / ECDH to seal. */
export function webCryptoAlgorithm(algorithm: KeyAlgorithm, purpose: KeyPurpose): RsaHashedKeyGenParams | EcKeyGenParams {
  switch (algorithm) {
    case 'RSA-2048':
    case 'RSA-3072': {
      const modulusLength = algorithm === 'RSA-2048' ? 2048 : 3072;
      return { name: purpose === 'signature' ? 'RSA-PSS' : 'RSA-OAEP', modulusLength, ...rsaBase };
    }
    case 'P-256':
      return { name: purpose === 'signature' ? 'ECDSA' : 'ECDH', namedCurve: 'P-256' };
  }
}

export function keyUsagesFor(algorithm: KeyAlgorithm, purpose: KeyPurpose): KeyUsage[] {
  if (purpose === 'signature') return ['sign', 'verify'];
  return algorithm === 'P-256' ? ['deriveBits'] : ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
}

/** The algorithm that signs certificates, CRLs and CSRs with a signature key of this kind. */
export function certificateSigningAlgorithm(key: CryptoKey): RsaPssParams | EcdsaParams | Algorithm {
  const name = key.algorithm.name;
  if (name === 'RSA-PSS') return { name: 'RSA-PSS', saltLength: 32, hash: 'SHA-256' } as RsaPssParams & { hash: string };
  if (name === 'ECDSA') return { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams;
  throw new PkiError('unsupported_algorithm', `A ${name} key cannot sign certificates.`);
}

/** Which KeyAlgorithm a public key (from a certificate or CSR) is. */
export function keyAlgorithmOf(algorithm: Algorithm & { modulusLength?: number; namedCurve?: string }): KeyAlgorithm {
  if (algorithm.namedCurve === 'P-256') return 'P-256';
  if (algorithm.modulusLength === 2048) return 'RSA-2048';
  if (algorithm.modulusLength === 3072) return 'RSA-3072';
  throw new PkiError('unsupported_algorithm', 'Only RSA-2048, RSA-3072 and EC P-256 keys are accepted.');
}
