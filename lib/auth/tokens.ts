import { createHash, randomBytes } from 'node:crypto';

/** A random URL-safe token with 256 bits of entropy. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of a token. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
