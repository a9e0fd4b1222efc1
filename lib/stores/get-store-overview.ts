import { cache } from 'react';
import { db, type Prisma } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { listNoticesForStore } from '@/lib/notices/list-notices-for-store';

/** The store's header data, shared by every console page of one request. */
export const getStoreHeader = cache(async (storeId: string) => {
  const store = await db().store.findUnique({
    where: { id: storeId },
    select: { id: true, name: true, status: true, suspendedReason: true, certificateAlertDays: true },
  });
  if (!store) throw new AppError('not_found', 'Store not found.');
  return store;
});

/**
 * The store's ACTIVE certificates that end within its alert days (or have ended and are not yet marked
 * EXPIRED), soonest first. One definition for the overview's list and the banner on every console page.
 */
function expiringCertificatesWhere(storeId: string, alertUntil: Date): Prisma.CertificateWhereInput {
  return { storeId, status: 'ACTIVE', notAfter: { lte: alertUntil } };
}

function listExpiringCertificates(storeId: string, alertUntil: Date, take: number) {
  return db().certificate.findMany({
    where: expiringCertificatesWhere(storeId, alertUntil),
    orderBy: [{ notAfter: 'asc' }, { id: 'asc' }],
    take,
    select: { id: true, usage: true, notAfter: true, posAcquirer: { select: { pos: { select: { name: true } }, acquirer: { select: { name: true } } } } },
  });
}

/** How many of the store's certificates expire within its alert days, and the soonest few: cheap enough for every console page. */
export const getCertificateExpirySummary = cache(async (storeId: string, now = new Date(), take = 3) => {
  const { certificateAlertDays } = await getStoreHeader(storeId);
  const alertUntil = new Date(now.getTime() + certificateAlertDays * 86_400_000);
  const [count, soonest] = await Promise.all([
    db().certificate.count({ where: expiringCertificatesWhere(storeId, alertUntil) }),
    listExpiringCertificates(storeId, alertUntil, take),
  ]);
  return { alertDays: certificateAlertDays, count, soonest };
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
    listNoticesForStore({ storeId, now }),
    listExpiringCertificates(storeId, alertUntil, 50),
    db().pos.count({ where: { storeId } }),
  ]);
  return { store, contracts, notices, expiringCertificates, posCount };
}
