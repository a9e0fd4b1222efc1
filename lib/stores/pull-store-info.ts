import { fetchStoreInfo } from '@/lib/acquirers/registry-client';
import { db, type Db } from '@/lib/db/client';
import { isAppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { applyAcquirerStoreInfo, type ApplyStoreInfoOutcome } from '@/lib/stores/apply-acquirer-store-info';
import type { StoreInfoField } from '@/lib/stores/store-info';
import { isUuid } from '@/lib/validation';

export interface StoreInfoPullResult {
  acquirerId: string;
  acquirerName: string;
  outcome: ApplyStoreInfoOutcome | 'failed';
  /** The version the acquirer holds, when it answered. */
  acquirerVersion?: number;
  /** ServerPOS's version after this acquirer's copy was applied. */
  storeInfoVersion?: number;
  changedFields?: StoreInfoField[];
  /** Why this acquirer could not be checked; safe to show (no secrets, no raw upstream body). */
  error?: string;
}

/**
 * Pulls the store information each acquirer holds for one store — every verified contract with an active
 * acquirer, or only `acquirerId`'s — and applies it (applyAcquirerStoreInfo). One acquirer failing does
 * not stop the others; its result says why. No transaction is open while an acquirer is called.
 */
export async function pullStoreInfo(options: { storeId: string; acquirerId?: string; prisma?: Db }): Promise<StoreInfoPullResult[]> {
  if (!isUuid(options.storeId)) return [];
  const prisma = options.prisma ?? db();
  const contracts = await prisma.acquirerContract.findMany({
    where: { storeId: options.storeId, status: 'VERIFIED', acquirer: { status: 'ACTIVE' }, ...(options.acquirerId ? { acquirerId: options.acquirerId } : {}) },
    select: { merchantNumber: true, acquirer: { select: { id: true, code: true, name: true, registryUrl: true } } },
    orderBy: { acquirer: { name: 'asc' } },
  });
  const results: StoreInfoPullResult[] = [];
  for (const contract of contracts) {
    const base = { acquirerId: contract.acquirer.id, acquirerName: contract.acquirer.name };
    let acquirerVersion: number | undefined;
    try {
      const held = await fetchStoreInfo(contract.acquirer, contract.merchantNumber);
      acquirerVersion = typeof held.info?.version === 'number' ? held.info.version : undefined;
      const applied = await applyAcquirerStoreInfo({ storeId: options.storeId, acquirerId: contract.acquirer.id, info: held.info, prisma });
      results.push({ ...base, outcome: applied.outcome, acquirerVersion, storeInfoVersion: applied.storeInfoVersion, changedFields: applied.changedFields });
    } catch (error) {
      if (!isAppError(error)) log.error('store information pull failed', { storeId: options.storeId, acquirerId: contract.acquirer.id, ...describeError(error) });
      const reason = isAppError(error)
        ? error.code === 'validation_failed'
          ? `${contract.acquirer.name} sent store information that could not be used (${error.message}).`
          : error.message
        : 'Something went wrong on our side.';
      results.push({ ...base, outcome: 'failed', ...(acquirerVersion === undefined ? {} : { acquirerVersion }), error: reason });
    }
  }
  return results;
}

/**
 * The scheduled pull: every ACTIVE or SUSPENDED store with a verified contract, a page at a time. Catches
 * changes an acquirer made that no push or authorisation answer has brought yet.
 */
export async function pullAllStoresInfo(options: { prisma?: Db; pageSize?: number } = {}): Promise<{ stores: number; applied: number; failed: number }> {
  const prisma = options.prisma ?? db();
  const pageSize = options.pageSize ?? 100;
  const totals = { stores: 0, applied: 0, failed: 0 };
  let after: string | undefined;
  for (;;) {
    const stores = await prisma.store.findMany({
      where: { status: { in: ['ACTIVE', 'SUSPENDED'] }, contracts: { some: { status: 'VERIFIED' } }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: pageSize,
    });
    for (const store of stores) {
      const results = await pullStoreInfo({ storeId: store.id, prisma });
      totals.stores += 1;
      totals.applied += results.filter((result) => result.outcome === 'applied').length;
      totals.failed += results.filter((result) => result.outcome === 'failed').length;
    }
    if (stores.length < pageSize) return totals;
    after = stores.at(-1)!.id;
  }
}
