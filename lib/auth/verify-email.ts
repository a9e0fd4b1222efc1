import { z } from 'zod';
import { sha256Hex } from '@/lib/auth/tokens';
import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { parseInput } from '@/lib/validation';

export const verificationTokenSchema = z.object({
  token: z.string({ error: 'The link is incomplete.' }).regex(/^[A-Za-z0-9_-]{43}$/, 'The link is incomplete or damaged.'),
});

/**
 * Consumes a one-time e-mail verification token and marks the address
 * verified. The token is marked used in the same statement that checks it, so
 * two clicks on one link cannot both succeed.
 */
export async function verifyEmail(rawInput: unknown): Promise<{ email: string }> {
  const { token } = parseInput(verificationTokenSchema, rawInput);
  return db().$transaction(async (tx) => {
    const now = new Date();
    const record = await tx.emailVerificationToken.findUnique({
      where: { tokenHash: sha256Hex(token) },
      include: { storeUser: { select: { id: true, email: true, storeId: true } } },
    });
    if (!record || record.usedAt) {
      throw new AppError('token_invalid', 'This confirmation link is not valid or was already used. Sign in, or sign up again.');
    }
    if (record.expiresAt <= now) {
      throw new AppError('token_expired', 'This confirmation link has expired. Sign up again to get a new one.');
    }
    const claimed = await tx.emailVerificationToken.updateMany({ where: { id: record.id, usedAt: null }, data: { usedAt: now } });
    if (claimed.count !== 1) throw new AppError('token_invalid', 'This confirmation link was already used.');
    await tx.storeUser.update({ where: { id: record.storeUser.id }, data: { emailVerifiedAt: now } });
    await recordAuditEvent(tx, {
      actor: { type: 'STORE_USER', id: record.storeUser.id },
      action: 'auth.email_verified',
      storeId: record.storeUser.storeId,
      targetType: 'StoreUser',
      targetId: record.storeUser.id,
    });
    return { email: record.storeUser.email };
  });
}
