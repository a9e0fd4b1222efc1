import { dbPool } from '@/lib/db/client';
import { sql, sqlOnPool } from '@/lib/db/sql';

const tokenPattern = /^[A-Za-z0-9_-]{20,64}$/;

/**
 * The origins that may frame the embeddable checkout of this checkout token: those registered by the store
 * whose shop made the order — the affiliate, when another store sold through this POS under a grant (its shop
 * holds the order and frames the page), else the POS's own store. Empty for a token that names no order, so
 * the page is framed by nobody. One indexed statement on the pool; run by proxy.ts for `?embed=1` only.
 */
export async function checkoutFrameOrigins(token: string): Promise<string[]> {
  if (!tokenPattern.test(token)) return [];
  const [row] = await sqlOnPool(dbPool()).rows<{ origins: string[] | null }>(sql`
    SELECT s."checkoutFrameOrigins" AS "origins"
      FROM "Order" o
      JOIN "Store" s ON s."id" = COALESCE(o."affiliateStoreId", o."storeId")
     WHERE o."checkoutToken" = ${token}
     LIMIT 1`);
  return row?.origins ?? [];
}
