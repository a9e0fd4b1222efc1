import { db } from '@/lib/db/client';

/** The store's most recent payments. Card data is never stored; maskedPan is at most first six and last four. */
export function listRecentPayments(storeId: string, take = 50) {
  return db().payment.findMany({
    where: { storeId },
    orderBy: { createdAt: 'desc' },
    take,
    select: {
      id: true,
      xid: true,
      brand: true,
      amount: true,
      currency: true,
      status: true,
      declineCode: true,
      maskedPan: true,
      createdAt: true,
      order: { select: { shopOrderRef: true } },
      acquirer: { select: { name: true } },
    },
  });
}
