import { db } from '@/lib/db/client';
import { isUuid } from '@/lib/validation';

/**
 * One acquirer for the operator's detail page: its settings, its BIN ranges, and how many stores hold a
 * contract with it (by contract status). Null for an id that is not an acquirer's.
 */
export async function getAcquirer(acquirerId: string) {
  if (!isUuid(acquirerId)) return null;
  const acquirer = await db().acquirer.findUnique({
    where: { id: acquirerId },
    select: {
      id: true,
      code: true,
      name: true,
      brands: true,
      gatewayUrl: true,
      registryUrl: true,
      status: true,
      createdAt: true,
      updatedAt: true,
      binRanges: { orderBy: [{ brand: 'asc' }, { binFrom: 'asc' }, { binTo: 'asc' }], select: { id: true, brand: true, binFrom: true, binTo: true, createdAt: true } },
    },
  });
  if (!acquirer) return null;
  const byStatus = await db().acquirerContract.groupBy({ by: ['status'], where: { acquirerId }, _count: { _all: true } });
  const count = (status: string) => byStatus.find((row) => row.status === status)?._count._all ?? 0;
  return {
    ...acquirer,
    // One contract per store and acquirer, so contracts count stores.
    stores: {
      total: byStatus.reduce((sum, row) => sum + row._count._all, 0),
      verified: count('VERIFIED'),
      applied: count('APPLIED'),
      withdrawn: count('WITHDRAWN') + count('WITHDRAWING'),
    },
  };
}

export type AcquirerDetail = NonNullable<Awaited<ReturnType<typeof getAcquirer>>>;
