import type { Db, Tx } from '@/lib/db/client';
import { asSqlClient, sql, type SqlClient } from '@/lib/db/sql';
import type { StoreStatus } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

const inactive: Record<Exclude<StoreStatus, 'ACTIVE'>, string> = {
  PENDING: 'This store is not active yet: it cannot take payments.',
  SUSPENDED: 'Processing for this store is suspended: it cannot take payments through any acquirer.',
  WITHDRAWN: 'This store has withdrawn from ServerPOS: it cannot take payments.',
};

/**
 * The one check every authorisation, capture and certificate request makes
 * first: only an ACTIVE store may act. A suspended store stops at once
 * through every acquirer, because every path asks here rather than keeping
 * its own copy of the rule. Run it inside the transaction that does the work,
 * so what it read is what the work relies on.
 */
export async function assertStoreCanAuthorize(client: Db | Tx | SqlClient, storeId: string): Promise<void> {
  if (!isUuid(storeId)) throw new AppError('not_found', 'Store not found.');
  const [store] = await asSqlClient(client).rows<{ status: StoreStatus }>(sql`SELECT "status"::text AS "status" FROM "Store" WHERE "id" = ${storeId}::uuid`);
  if (!store) throw new AppError('not_found', 'Store not found.');
  assertStoreStatusCanAuthorize(store.status);
}

/** The same rule, for a caller that has just read the store's status with the rest of its row (one query fewer). */
export function assertStoreStatusCanAuthorize(status: StoreStatus): void {
  if (status !== 'ACTIVE') throw new AppError('store_inactive', inactive[status]);
}
