import { db } from '@/lib/db/client';

/** The operator's BIN-range table, per acquirer, by brand and first BIN. */
export function listBinRanges() {
  return db().binRange.findMany({
    orderBy: [{ acquirer: { name: 'asc' } }, { brand: 'asc' }, { binFrom: 'asc' }, { binTo: 'asc' }],
    select: { id: true, acquirerId: true, brand: true, binFrom: true, binTo: true, createdAt: true },
  });
}
