import type { AcquirerStoreView } from '@/lib/acquirers/acquirer-api-schemas';
import type { Db, Prisma, Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';

/** What an acquirer sees of one store it holds a contract with: the contract's row and the store's. */
export const acquirerStoreSelect = {
  id: true,
  status: true,
  merchantNumber: true,
  storeId: true,
  store: { select: { name: true, status: true, storeInfoVersion: true, suspendedBy: true, suspendedByAcquirerId: true, suspendedReason: true, suspendedAt: true } },
} as const satisfies Prisma.AcquirerContractSelect;

export type AcquirerStoreRow = Prisma.AcquirerContractGetPayload<{ select: typeof acquirerStoreSelect }>;

/**
 * The store as the acquirer API shows it. Who suspended it is told as a kind (store, an acquirer, the
 * operator) and whether it was this acquirer — never which other acquirer, which is that acquirer's business.
 */
export function toAcquirerStoreView(row: AcquirerStoreRow, acquirerId: string): AcquirerStoreView {
  const { store } = row;
  const suspended = store.status === 'SUSPENDED';
  return {
    merchantNumber: row.merchantNumber,
    storeId: row.storeId,
    storeName: store.name,
    storeStatus: store.status,
    contractStatus: row.status,
    suspension: suspended
      ? {
          by: store.suspendedBy ?? 'OPERATOR',
          byYou: store.suspendedBy === 'ACQUIRER' && store.suspendedByAcquirerId === acquirerId,
          reason: store.suspendedReason ?? '',
          since: (store.suspendedAt ?? new Date(0)).toISOString(),
        }
      : null,
    storeInfoVersion: store.storeInfoVersion,
  };
}

/** What a merchant number can look like (lib/stores/schemas.ts: letters, digits and hyphens, at most 40). */
export const merchantNumberPattern = /^[A-Za-z0-9-]{1,40}$/;

/**
 * The contract of this acquirer under this merchant number, with its store; `not_found` otherwise — also
 * for a merchant number another acquirer uses, which this one must not learn exists.
 */
export async function findAcquirerStore(prisma: Db | Tx, acquirerId: string, merchantNumber: string): Promise<AcquirerStoreRow> {
  // A path parameter, so anything at all: only the form a merchant number has is looked up (a NUL byte made PostgreSQL fail the query).
  const row = merchantNumberPattern.test(merchantNumber) ? await prisma.acquirerContract.findUnique({ where: { acquirerId_merchantNumber: { acquirerId, merchantNumber } }, select: acquirerStoreSelect }) : null;
  if (!row) throw new AppError('not_found', 'No store of yours has this merchant number.');
  return row;
}
