import { base64UrlOf } from '@/lib/pki';
import { cryptoBackend } from './crypto/backend';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
/** Node's Buffer decodes base64url natively; the browser falls back to atob. */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

export { base64UrlOf };

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Decodes base64url (no padding); throws on any other character. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(text, 'base64url'));
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** SHA-256 of exact bytes, base64url. Hashes in lib/set are always over the bytes sent, never a re-serialisation. */
export async function sha256(bytes: Uint8Array): Promise<string> {
  return base64UrlOf(await cryptoBackend().sha256(bytes));
}

/** A fresh random identifier (XID, RRPID, challenge): 128 bits, base64url. */
export function randomId(): string {
  return base64UrlOf(cryptoBackend().randomBytes(16));
}

/** Constant-time comparison of two strings of public length (hashes, challenges). */
export function sameString(left: string, right: string): boolean {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index++) difference |= left.charCodeAt(index) ^ right.charCodeAt(index);
  return difference === 0;
}
