import { db, type Db } from '@/lib/db/client';

/** Worker, hourly: forgets request nonces whose timestamps could no longer pass (see DatabaseReplayCache). */
export async function deleteExpiredRequestNonces(options: { prisma?: Db; now?: Date } = {}): Promise<{ deleted: number }> {
  const prisma = options.prisma ?? db();
  const deleted = await prisma.acquirerRequestNonce.deleteMany({ where: { expiresAt: { lte: options.now ?? new Date() } } });
  return { deleted: deleted.count };
}
