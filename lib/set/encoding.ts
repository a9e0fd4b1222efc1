import { base64UrlOf } from '@/lib/pki';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export { base64UrlOf };

/** Decodes base64url; throws on anything else. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** SHA-256 of exact bytes, base64url. Hashes in lib/set are always over the bytes sent, never a re-serialisation. */
export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return base64UrlOf(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes)));
}

/** A fresh random identifier (XID, RRPID, challenge): 128 bits, base64url. */
export function randomId(): string {
  return base64UrlOf(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

/** Constant-time comparison of two strings of public length (hashes, challenges). */
export function sameString(left: string, right: string): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index++) difference |= left.charCodeAt(index) ^ right.charCodeAt(index);
  return difference === 0;
}
