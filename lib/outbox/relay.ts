import type { Db } from '@/lib/db/client';

export interface ClaimedMessage {
  id: string;
  kind: string;
}

/**
 * A DISPATCHED message not delivered after this long is handed to the queue again: a worker killed between
 * claiming it and queueing its job leaves it so. Handing over a message whose job exists creates nothing.
 */
export const REDISPATCH_AFTER_MS = 2 * 60_000;

/**
 * Claims outbox messages for dispatch in one statement. SKIP LOCKED lets any
 * number of workers relay at once without claiming the same row; no
 * transaction stays open while the caller talks to the queue.
 *
 * A message claimed by a worker that then died stays DISPATCHED; it is claimed
 * again after REDISPATCH_AFTER_MS. Dispatch uses the message id as the job id,
 * so handing the same message to the queue twice creates one job.
 */
export async function claimOutboxMessages(prisma: Db, limit: number): Promise<ClaimedMessage[]> {
  // Both times come from the application's clock, like every other DateTime Prisma writes to
  // these zone-less columns. The database's now() would be in the session's time zone: on a
  // server not set to UTC every claimed message would look stale at once and be claimed forever.
  const now = new Date();
  const staleBefore = new Date(now.getTime() - REDISPATCH_AFTER_MS);
  return prisma.$queryRaw<ClaimedMessage[]>`
    UPDATE "OutboxMessage" AS m
       SET "status" = 'DISPATCHED', "dispatchedAt" = ${now}
     WHERE m."id" IN (
       SELECT "id" FROM "OutboxMessage"
        WHERE "status" = 'PENDING'
           OR ("status" = 'DISPATCHED' AND "dispatchedAt" < ${staleBefore})
        ORDER BY "createdAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
    RETURNING m."id"::text AS "id", m."kind" AS "kind"`;
}

export async function markDelivered(prisma: Db, id: string): Promise<void> {
  await prisma.outboxMessage.updateMany({
    where: { id, status: { not: 'DELIVERED' } },
    data: { status: 'DELIVERED', deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null },
  });
}

export async function markAttemptFailed(prisma: Db, id: string, error: string, final: boolean): Promise<void> {
  await prisma.outboxMessage.updateMany({
    where: { id, status: { not: 'DELIVERED' } },
    data: { attempts: { increment: 1 }, lastError: error.slice(0, 1000), ...(final ? { status: 'FAILED' } : {}) },
  });
}
