import { db } from '@/lib/db/client';

/**
 * The store's POSes for the console: each with the acquirers it uses (removed ones left out) and its API
 * keys (prefix and label only: the secret is never kept), active keys first.
 */
export function listPoses(storeId: string) {
  return db().pos.findMany({
    where: { storeId },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      name: true,
      status: true,
      captureMode: true,
      webhookUrl: true,
      createdAt: true,
      acquirers: {
        where: { status: { not: 'WITHDRAWN' } },
        orderBy: { acquirer: { name: 'asc' } },
        select: {
          id: true,
          status: true,
          contractId: true,
          acquirer: { select: { id: true, code: true, name: true, brands: true } },
          _count: { select: { certificates: { where: { status: 'ACTIVE' } } } },
        },
      },
      apiKeys: {
        orderBy: [{ revokedAt: { sort: 'desc', nulls: 'first' } }, { createdAt: 'desc' }],
        select: { id: true, label: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
      },
      _count: { select: { apiKeys: { where: { revokedAt: null } } } },
    },
  });
}

/** The store's verified contracts: the acquirers a POS may be linked to. */
export function listVerifiedContracts(storeId: string) {
  return db().acquirerContract.findMany({
    where: { storeId, status: 'VERIFIED' },
    orderBy: { acquirer: { name: 'asc' } },
    select: { id: true, merchantNumber: true, acquirer: { select: { id: true, code: true, name: true, brands: true } } },
  });
}
