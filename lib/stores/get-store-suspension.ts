import { cache } from 'react';
import { db } from '@/lib/db/client';
import { suspendedByLabel } from '@/lib/stores/store-status';

/**
 * Why and by whom a store's processing is suspended, for the console's banner
 * and Security page; null while it is not suspended.
 */
export const getStoreSuspension = cache(async (storeId: string) => {
  const store = await db().store.findUnique({
    where: { id: storeId },
    select: { status: true, suspendedAt: true, suspendedReason: true, suspendedBy: true, suspendedByAcquirerId: true },
  });
  if (!store || store.status !== 'SUSPENDED') return null;
  const suspendedBy = store.suspendedBy ?? 'OPERATOR';
  const acquirer = store.suspendedByAcquirerId
    ? await db().acquirer.findUnique({ where: { id: store.suspendedByAcquirerId }, select: { name: true } })
    : null;
  return {
    suspendedAt: store.suspendedAt,
    reason: store.suspendedReason ?? '',
    suspendedBy,
    suspendedByLabel: suspendedByLabel(suspendedBy, acquirer?.name),
    /** Only a suspension by the store itself can be lifted from its console. */
    canResumeInConsole: suspendedBy === 'STORE',
  };
});
