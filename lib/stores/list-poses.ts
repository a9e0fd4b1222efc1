import { db } from '@/lib/db/client';

/** The store's POSes with the acquirers each one is registered with. */
export function listPoses(storeId: string) {
  return db().pos.findMany({
    where: { storeId },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      name: true,
      status: true,
      createdAt: true,
      acquirers: { select: { id: true, status: true, acquirer: { select: { name: true, brands: true } } } },
      _count: { select: { apiKeys: { where: { revokedAt: null } } } },
    },
  });
}
