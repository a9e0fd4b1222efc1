import { db } from '@/lib/db/client';

/** Current certificates of one store, soonest expiry first. */
export function listCertificates(storeId: string) {
  return db().certificate.findMany({
    where: { storeId, status: { in: ['PENDING', 'ACTIVE', 'EXPIRED', 'REVOKED'] } },
    orderBy: { notAfter: 'asc' },
    take: 500,
    select: {
      id: true,
      usage: true,
      serialNumber: true,
      notBefore: true,
      notAfter: true,
      status: true,
      posAcquirer: { select: { pos: { select: { name: true } }, acquirer: { select: { name: true } } } },
    },
  });
}
