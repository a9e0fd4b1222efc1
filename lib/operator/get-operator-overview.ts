import { db } from '@/lib/db/client';

/** Counts across all stores for the operator's first page. */
export async function getOperatorOverview() {
  const [storesByStatus, acquirers, outboxByStatus, recentSignUps] = await Promise.all([
    db().store.groupBy({ by: ['status'], _count: { _all: true } }),
    db().acquirer.count(),
    db().outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }),
    db().store.count({ where: { createdAt: { gte: new Date(Date.now() - 7 * 86_400_000) } } }),
  ]);
  const count = <T extends string>(rows: { status: T; _count: { _all: number } }[], status: T) =>
    rows.find((row) => row.status === status)?._count._all ?? 0;
  return {
    stores: {
      pending: count(storesByStatus, 'PENDING'),
      active: count(storesByStatus, 'ACTIVE'),
      suspended: count(storesByStatus, 'SUSPENDED'),
      withdrawn: count(storesByStatus, 'WITHDRAWN'),
    },
    acquirers,
    recentSignUps,
    outbox: {
      pending: count(outboxByStatus, 'PENDING') + count(outboxByStatus, 'DISPATCHED'),
      delivered: count(outboxByStatus, 'DELIVERED'),
      failed: count(outboxByStatus, 'FAILED'),
    },
  };
}
