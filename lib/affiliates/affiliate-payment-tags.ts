import { db } from '@/lib/db/client';

/**
 * How a sale made under an affiliate grant reads in a store's console: to the store that lent the POS,
 * "affiliate: <the selling store>"; to the selling store, "via <the lending store> POS". Other payments get
 * no tag. Only the two stores' names are looked up, and only for rows the viewer may already see.
 */
export async function affiliatePaymentTags(viewerStoreId: string, rows: readonly { id: string; storeId: string; affiliateStoreId: string | null }[]): Promise<Map<string, string>> {
  const tagged = rows.filter((row) => row.affiliateStoreId && (row.storeId === viewerStoreId || row.affiliateStoreId === viewerStoreId));
  if (tagged.length === 0) return new Map();
  const otherIds = [...new Set(tagged.map((row) => (row.storeId === viewerStoreId ? row.affiliateStoreId! : row.storeId)))];
  const stores = await db().store.findMany({ where: { id: { in: otherIds } }, select: { id: true, name: true } });
  const names = new Map(stores.map((store) => [store.id, store.name]));
  return new Map(
    tagged.map((row) =>
      row.storeId === viewerStoreId ? [row.id, `affiliate: ${names.get(row.affiliateStoreId!) ?? 'another store'}`] : [row.id, `via ${names.get(row.storeId) ?? 'another store'} POS`],
    ),
  );
}
