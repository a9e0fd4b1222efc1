/**
 * POS API keys: `spk_<prefix>_<secret>`. The prefix is public (it names the key in the console and finds
 * it in the database); the secret is 32 random bytes, shown once at creation and stored only as SHA-256.
 * Fixed lengths make parsing unambiguous even though the secret's alphabet includes `_`.
 */
import { randomBytes } from 'node:crypto';
import { sha256Hex } from '@/lib/auth/tokens';

const PREFIX_LENGTH = 12;
const SECRET_LENGTH = 43; // 32 bytes in base64url, unpadded
const prefixAlphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const keyPattern = new RegExp(`^spk_([a-z0-9]{${PREFIX_LENGTH}})_([A-Za-z0-9_-]{${SECRET_LENGTH}})$`);

export interface NewPosApiKey {
  prefix: string;
  /** The whole key, for the one time it is shown. */
  apiKey: string;
  secretHash: string;
}

function newPrefix(): string {
  // Letters and digits only, so the prefix reads and copies cleanly; 36^12 ≈ 2^62 values.
  const bytes = randomBytes(PREFIX_LENGTH * 2);
  let prefix = '';
  for (const byte of bytes) {
    // Rejection sampling keeps every character equally likely (252 = 7 × 36).
    if (byte >= 252) continue;
    prefix += prefixAlphabet[byte % 36];
    if (prefix.length === PREFIX_LENGTH) return prefix;
  }
  return newPrefix();
}

export function generatePosApiKey(): NewPosApiKey {
  const prefix = newPrefix();
  const secret = randomBytes(32).toString('base64url');
  return { prefix, apiKey: `spk_${prefix}_${secret}`, secretHash: sha256Hex(secret) };
}

/** The prefix and secret of a presented key, or null when it is not shaped like one. */
export function parsePosApiKey(value: string): { prefix: string; secret: string } | null {
  const match = keyPattern.exec(value);
  return match ? { prefix: match[1]!, secret: match[2]! } : null;
}
