import type { x509} from '@/lib/pki';
import { certificateKeyAlgorithm, certificateToBase64, thumbprint, type ValidatedCertificate } from '@/lib/pki';
import { SetError } from './errors';

/**
 * A party's signing side: its signature key and certificate chain (leaf first,
 * root left out — every party pins the root).
 */
export interface Signer {
  privateKey: CryptoKey;
  chain: x509.X509Certificate[];
  /** The chain as `x5c` (standard base64 DER), computed once. */
  x5c: string[];
  alg: 'PS256' | 'ES256';
}

/** A party's key-exchange side: the key that opens what is sealed to it. */
export interface KeyExchangeIdentity {
  privateKey: CryptoKey;
  chain: x509.X509Certificate[];
  x5c: string[];
  /** `x5t#S256` of the key-exchange certificate; sealed messages name it as `kid`. */
  thumbprint: string;
  alg: 'RSA-OAEP-256' | 'ECDH-ES';
}

/** Whom a message is sealed to: a validated key-exchange certificate (or a bare key, for CertRes). */
export interface Recipient {
  publicKey: CryptoKey;
  kid: string;
  alg: 'RSA-OAEP-256' | 'ECDH-ES';
}

export async function createSigner(privateKey: CryptoKey, chain: x509.X509Certificate[]): Promise<Signer> {
  const leaf = chain[0];
  if (!leaf) throw new SetError('chain_incomplete', 'A signer needs its certificate.');
  const algorithm = certificateKeyAlgorithm(leaf);
  return { privateKey, chain, x5c: chain.map(certificateToBase64), alg: algorithm === 'P-256' ? 'ES256' : 'PS256' };
}

export async function createKeyExchangeIdentity(privateKey: CryptoKey, chain: x509.X509Certificate[]): Promise<KeyExchangeIdentity> {
  const leaf = chain[0];
  if (!leaf) throw new SetError('chain_incomplete', 'A key-exchange identity needs its certificate.');
  const algorithm = certificateKeyAlgorithm(leaf);
  return {
    privateKey,
    chain,
    x5c: chain.map(certificateToBase64),
    thumbprint: await thumbprint(leaf),
    alg: algorithm === 'P-256' ? 'ECDH-ES' : 'RSA-OAEP-256',
  };
}

const verifyKeys = new Map<string, Promise<CryptoKey>>();
const sealKeys = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_LIMIT = 10_000;

function remember(cache: Map<string, Promise<CryptoKey>>, key: string, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let entry = cache.get(key);
  if (!entry) {
    if (cache.size >= KEY_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    entry = make();
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}

/** The public key of a validated signature certificate, imported for JWS verification (cached per certificate). */
export function verificationKey(validated: ValidatedCertificate): Promise<CryptoKey> {
  // Keyed by thumbprint before anything else: reading the certificate's key parses ASN.1.
  return remember(verifyKeys, validated.thumbprint, () => {
    const algorithm = certificateKeyAlgorithm(validated.certificate);
    return globalThis.crypto.subtle.importKey(
      'spki',
      validated.certificate.publicKey.rawData,
      algorithm === 'P-256' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSA-PSS', hash: 'SHA-256' },
      false,
      ['verify'],
    );
  });
}

const recipients = new Map<string, Promise<Recipient>>();

/** A recipient from a validated key-exchange certificate (cached per certificate). */
export function recipientOf(validated: ValidatedCertificate): Promise<Recipient> {
  let recipient = recipients.get(validated.thumbprint);
  if (!recipient) {
    if (recipients.size >= KEY_CACHE_LIMIT) recipients.delete(recipients.keys().next().value as string);
    recipient = recipientFromSpki(new Uint8Array(validated.certificate.publicKey.rawData), validated.thumbprint, certificateKeyAlgorithm(validated.certificate) === 'P-256');
    recipient.catch(() => recipients.delete(validated.thumbprint));
    recipients.set(validated.thumbprint, recipient);
  }
  return recipient;
}

/** A recipient from a bare public key (SPKI DER), named by `kid`. */
export async function recipientFromSpki(spki: Uint8Array, kid: string, isEc: boolean): Promise<Recipient> {
  const publicKey = await remember(sealKeys, kid, () =>
    globalThis.crypto.subtle.importKey(
      'spki',
      new Uint8Array(spki),
      isEc ? { name: 'ECDH', namedCurve: 'P-256' } : { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      isEc ? [] : ['encrypt', 'wrapKey'],
    ),
  );
  return { publicKey, kid, alg: isEc ? 'ECDH-ES' : 'RSA-OAEP-256' };
}
