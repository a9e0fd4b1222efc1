import { listStoresQuerySchema, type AcquirerStoreView } from '@/lib/acquirers/acquirer-api-schemas';
import { acquirerStoreSelect, toAcquirerStoreView } from '@/lib/acquirers/acquirer-store-view';
import { db } from '@/lib/db/client';
import { parseInput } from '@/lib/validation';

/**
 * The stores holding a contract with this acquirer, in merchant-number order, a page at a time (keyset: the
 * cursor is the last merchant number of the page before), optionally only those in one store or contract
 * status. Scoped by the acquirer id the signature proved, never by anything the request says.
 */
export async function listAcquirerStores(options: { acquirerId: string; query: unknown }): Promise<{ stores: AcquirerStoreView[]; nextCursor: string | null }> {
  const query = parseInput(listStoresQuerySchema, options.query);
  const rows = await db().acquirerContract.findMany({
    where: {
      acquirerId: options.acquirerId,
      ...(query.cursor ? { merchantNumber: { gt: query.cursor } } : {}),
      ...(query.contractStatus ? { status: query.contractStatus } : {}),
      ...(query.status ? { store: { status: query.status } } : {}),
    },
    orderBy: { merchantNumber: 'asc' },
    take: query.limit + 1,
    select: acquirerStoreSelect,
  });
  const page = rows.slice(0, query.limit);
  return { stores: page.map((row) => toAcquirerStoreView(row, options.acquirerId)), nextCursor: rows.length > query.limit ? page.at(-1)!.merchantNumber : null };
}
