import { keyUsagesFor, webCryptoAlgorithm, type KeyAlgorithm, type KeyPurpose } from './algorithms';
import { subtle } from './x509';

export interface GeneratedKeyPair {
  algorithm: KeyAlgorithm;
  purpose: KeyPurpose;
  publicKey: CryptoKey;
  privateKey: CryptoKey;
}

/**
 * Generates a key pair with native crypto (never a pure-JS RSA). The private
 * key is extractable only when asked, so that the app can wrap it for storage
 * at rest; simulators and wallets keep theirs non-extractable.
 */
export async function generateKeyPair(options: { algorithm: KeyAlgorithm; purpose: KeyPurpose; extractable?: boolean }): Promise<GeneratedKeyPair> {
  const pair = (await subtle.generateKey(
    webCryptoAlgorithm(options.algorithm, options.purpose),
    options.extractable ?? false,
    keyUsagesFor(options.algorithm, options.purpose),
  )) as CryptoKeyPair;
  return { algorithm: options.algorithm, purpose: options.purpose, publicKey: pair.publicKey, privateKey: pair.privateKey };
}

/** Exports a private key as PKCS#8 DER (for encryption at rest by the caller). */
export async function exportPrivateKey(key: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle.exportKey('pkcs8', key));
}

/** Imports a PKCS#8 private key for the given algorithm and purpose. */
export async function importPrivateKey(pkcs8: Uint8Array, algorithm: KeyAlgorithm, purpose: KeyPurpose, extractable = false): Promise<CryptoKey> {
  const usages = keyUsagesFor(algorithm, purpose).filter((usage) => ['sign', 'decrypt', 'unwrapKey', 'deriveBits'].includes(usage));
  return subtle.importKey('pkcs8', new Uint8Array(pkcs8), webCryptoAlgorithm(algorithm, purpose), extractable, usages);
}
