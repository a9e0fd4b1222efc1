/**
 * The one place that loads @peculiar/x509 (X.509, PKCS#10 and CRL structure
 * over WebCrypto, so every private-key operation is native: OpenSSL under
 * Node, the browser's own crypto in the page). tsyringe, which it uses
 * internally, needs the Reflect metadata polyfill loaded first.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(globalThis.crypto);

export { x509 };

/** WebCrypto's SubtleCrypto: Node's is OpenSSL-backed; a browser's is native too. */
export const subtle: SubtleCrypto = globalThis.crypto.subtle;

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}
