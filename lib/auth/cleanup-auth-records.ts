import type { Db } from '@/lib/db/client';

/** Sessions and verification tokens are kept this long after they stop mattering, for support. */
const KEEP_DAYS = 30;

/** Removes sessions and e-mail verification tokens that ended or expired long ago. */
export async function cleanupAuthRecords(prisma: Db, now = new Date()): Promise<{ sessions: number; tokens: number }> {
  const before = new Date(now.getTime() - KEEP_DAYS * 86_400_000);
  const sessions = await prisma.authSession.deleteMany({
    where: { OR: [{ endedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  const tokens = await prisma.emailVerificationToken.deleteMany({
    where: { OR: [{ usedAt: { lt: before } }, { expiresAt: { lt: before } }] },
  });
  return { sessions: sessions.count, tokens: tokens.count };
}
