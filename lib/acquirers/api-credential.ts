/**
 * Acquirer API credentials (docs/acquirer-api.md): a public id the acquirer names in every signed request
 * (`acqcred_<random>`) and a secret it sends as the Bearer token, 32 random bytes in base64url (an RFC 7235
 * token68). The secret is shown once, when issued, and kept only as its SHA-256.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sha256Hex } from '@/lib/auth/tokens';

export interface NewApiCredential {
  credentialId: string;
  /** In clear, for the one time it is shown: never log or store it. */
  secret: string;
  secretHash: string;
}

export function generateApiCredential(): NewApiCredential {
  const secret = randomBytes(32).toString('base64url');
  return { credentialId: `acqcred_${randomBytes(12).toString('hex')}`, secret, secretHash: sha256Hex(secret) };
}

/** A credential may still authenticate: not revoked, and (for a rotated one) not past its end. */
export function isCredentialActive(credential: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  return credential.revokedAt === null && (credential.expiresAt === null || credential.expiresAt > now);
}

/** The operator's label for a credential, e.g. "CLI" or "Back office 2026". */
export const credentialLabelSchema = z
  .string({ error: 'Enter a label.' })
  .trim()
  .min(1, 'Enter a label.')
  .max(80, 'Use at most 80 characters.')
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'Remove control characters.');

/** A credential's public id as the operator console passes it. */
export const credentialIdSchema = z.string().regex(/^acqcred_[0-9a-f]{24}$/, 'Not a credential id.');
