/**
 * The primitive operations lib/set needs, behind one interface with two
 * implementations: WebCrypto (the default; the browser's native crypto in the
 * wallet) and Node's OpenSSL bindings called synchronously (`node.ts`), which
 * servers switch to with `setCryptoBackend(nodeCryptoBackend)`.
 *
 * Why two: Node runs every WebCrypto call on its thread pool, and the hop
 * costs 35–90 µs per call on a 2-core machine — more than a whole RSA verify.
 * A sealed and signed message needs 3–5 calls, so WebCrypto alone puts it at
 * 1.4–1.6× the cost of the OpenSSL primitives. Synchronous OpenSSL is how
 * Node's own TLS does its handshakes; servers scale it by processes.
 */
import { concatBytes } from '../encoding';

export type SigningAlg = 'PS256' | 'ES256';

/** An EC public point as JWK coordinates (base64url), as JWE's `epk` carries it. */
export interface EcPoint {
  x: string;
  y: string;
}

export interface CryptoBackend {
  readonly name: 'webcrypto' | 'node';
  sign(alg: SigningAlg, privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array>;
  verify(alg: SigningAlg, publicKey: CryptoKey, data: Uint8Array, signature: Uint8Array): Promise<boolean>;
  rsaOaepEncrypt(publicKey: CryptoKey, data: Uint8Array): Promise<Uint8Array>;
  /** Throws on any failure; callers map it to one code without saying why (no padding oracle). */
  rsaOaepDecrypt(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array>;
  /** A fresh ephemeral P-256 key agreed with `recipient`: the shared secret Z and the ephemeral public point. */
  ecdhEphemeral(recipient: CryptoKey): Promise<{ sharedSecret: Uint8Array; epk: EcPoint }>;
  /** Z from our private key and the sender's ephemeral point; throws for a point not on P-256. */
  ecdhDerive(privateKey: CryptoKey, epk: EcPoint): Promise<Uint8Array>;
  aesGcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Promise<{ ciphertext: Uint8Array; tag: Uint8Array }>;
  /** Throws when the tag does not verify. */
  aesGcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Promise<Uint8Array>;
  sha256(data: Uint8Array): Promise<Uint8Array>;
  randomBytes(length: number): Uint8Array;
}

const subtle = () => globalThis.crypto.subtle;
const buffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/** WebCrypto: the same code in the browser and in Node. */
export const webCryptoBackend: CryptoBackend = {
  name: 'webcrypto',
  async sign(alg, privateKey, data) {
    const algorithm = alg === 'PS256' ? { name: 'RSA-PSS', saltLength: 32 } : { name: 'ECDSA', hash: 'SHA-256' };
    return new Uint8Array(await subtle().sign(algorithm, privateKey, buffer(data)));
  },
  async verify(alg, publicKey, data, signature) {
    const algorithm = alg === 'PS256' ? { name: 'RSA-PSS', saltLength: 32 } : { name: 'ECDSA', hash: 'SHA-256' };
    return subtle().verify(algorithm, publicKey, buffer(signature), buffer(data));
  },
  async rsaOaepEncrypt(publicKey, data) {
    return new Uint8Array(await subtle().encrypt({ name: 'RSA-OAEP' }, publicKey, buffer(data)));
  },
  async rsaOaepDecrypt(privateKey, data) {
    return new Uint8Array(await subtle().decrypt({ name: 'RSA-OAEP' }, privateKey, buffer(data)));
  },
  async ecdhEphemeral(recipient) {
    const ephemeral = (await subtle().generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])) as CryptoKeyPair;
    const sharedSecret = new Uint8Array(await subtle().deriveBits({ name: 'ECDH', public: recipient }, ephemeral.privateKey, 256));
    const jwk = await subtle().exportKey('jwk', ephemeral.publicKey);
    return { sharedSecret, epk: { x: jwk.x!, y: jwk.y! } };
  },
  async ecdhDerive(privateKey, epk) {
    const publicKey = await subtle().importKey('jwk', { kty: 'EC', crv: 'P-256', x: epk.x, y: epk.y }, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
    return new Uint8Array(await subtle().deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256));
  },
  async aesGcmEncrypt(key, iv, plaintext, aad) {
    const cryptoKey = await subtle().importKey('raw', buffer(key), 'AES-GCM', false, ['encrypt']);
    const sealed = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv: buffer(iv), additionalData: buffer(aad), tagLength: 128 }, cryptoKey, buffer(plaintext)));
    return { ciphertext: sealed.subarray(0, sealed.length - 16), tag: sealed.subarray(sealed.length - 16) };
  },
  async aesGcmDecrypt(key, iv, ciphertext, tag, aad) {
    const cryptoKey = await subtle().importKey('raw', buffer(key), 'AES-GCM', false, ['decrypt']);
    return new Uint8Array(await subtle().decrypt({ name: 'AES-GCM', iv: buffer(iv), additionalData: buffer(aad), tagLength: 128 }, cryptoKey, buffer(concatBytes(ciphertext, tag))));
  },
  async sha256(data) {
    return new Uint8Array(await subtle().digest('SHA-256', buffer(data)));
  },
  randomBytes(length) {
    return globalThis.crypto.getRandomValues(new Uint8Array(length));
  },
};

let current: CryptoBackend = webCryptoBackend;

/** The backend in use in this process. */
export function cryptoBackend(): CryptoBackend {
  return current;
}

/** Switches this process's backend (servers: the Node one, once, at start-up). */
export function setCryptoBackend(backend: CryptoBackend): void {
  current = backend;
}
