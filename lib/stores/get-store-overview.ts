import { cache } from 'react';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

/** The store's header data, shared by every console page of one request. */
export const getStoreHeader = cache(async (storeId: string) => {
  const store = await db().store.findUnique({
    where: { id: storeId },
    select: { id: true, name: true, status: true, suspendedReason: true, certificateAlertDays: true },
  });
  if (!store) throw new AppError('not_found', 'Store not found.');
  return store;
});

/** What the store sees first after signing in: status, contracts, notices and certificates expiring soon. */
export async function getStoreOverview(storeId: string, now = new Date()) {
  const store = await getStoreHeader(storeId);
  const alertUntil = new Date(now.getTime() + store.certificateAlertDays * 86_400_000);
  const [contracts, notices, expiringCertificates, posCount] = await Promise.all([
    db().acquirerContract.findMany({
      where: { storeId },
      orderBy: { appliedAt: 'asc' },
      select: { id: true, merchantNumber: true, status: true, rejectionReason: true, acquirer: { select: { name: true, brands: true } } },
    }),
    db().notice.findMany({
      where: { OR: [{ storeId: null }, { storeId }], publishedAt: { lte: now }, AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }] },
      orderBy: { publishedAt: 'desc' },
      take: 5,
      select: { id: true, kind: true, title: true, body: true, publishedAt: true },
    }),
    db().certificate.findMany({
      where: { storeId, status: 'ACTIVE', notAfter: { lte: alertUntil } },
      orderBy: { notAfter: 'asc' },
      take: 50,
      select: { id: true, usage: true, notAfter: true, posAcquirer: { select: { pos: { select: { name: true } }, acquirer: { select: { name: true } } } } },
    }),
    db().pos.count({ where: { storeId } }),
  ]);
  return { store, contracts, notices, expiringCertificates, posCount };
}
