import type { Db } from '@/lib/db/client';
import { deleteExpiredIdempotencyRecords } from '@/lib/pos/idempotency-records';
import { deleteExpiredRateLimitWindows } from '@/lib/security/rate-limit';

/** Sessions and verification tokens are kept this long after they stop mattering, for support. */
const KEEP_DAYS = 30;

/** Removes sessions, e-mail verification and password-reset tokens that ended or expired long ago, spent rate-limit windows, and POS API idempotency records older than a day. */
export async function cleanupAuthRecords(
  prisma: Db,
  now = new Date(),
): Promise<{ sessions: number; tokens: number; passwordResetTokens: number; rateLimitWindows: number; idempotencyRecords: number }> {
  const before = new Date(now.getTime() - KEEP_DAYS * 86_400_000);
  const sessions = await prisma.authSession.deleteMany({
    where: { OR: [{ endedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  const tokens = await prisma.emailVerificationToken.deleteMany({
    where: { OR: [{ usedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  const passwordResetTokens = await prisma.passwordResetToken.deleteMany({
    where: { OR: [{ usedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  const rateLimitWindows = await deleteExpiredRateLimitWindows(prisma, now);
  const idempotencyRecords = await deleteExpiredIdempotencyRecords(prisma, now);
  return { sessions: sessions.count, tokens: tokens.count, passwordResetTokens: passwordResetTokens.count, rateLimitWindows, idempotencyRecords };
}
