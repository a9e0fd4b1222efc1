import { findAcquirerStore } from '@/lib/acquirers/acquirer-store-view';
import type { AcquirerCaller } from '@/lib/acquirers/authenticate-acquirer-request';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { applyAcquirerStoreInfo } from '@/lib/stores/apply-acquirer-store-info';

/**
 * An acquirer pushes its store information (acquirer API): the same step as the pull
 * (applyAcquirerStoreInfo), so the newest version wins everywhere. A version older than ServerPOS's is
 * refused as `conflict` after ServerPOS's newer version has been queued for this acquirer.
 */
export async function updateAcquirerStoreInfo(options: { acquirer: AcquirerCaller; merchantNumber: string; info: unknown }): Promise<{ outcome: 'applied' | 'unchanged' | 'conflict_resolved'; storeInfoVersion: number }> {
  const { acquirer } = options;
  const row = await findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber);
  if (row.status !== 'VERIFIED') throw new AppError('invalid_state_transition', `Your contract with this store is ${row.status.toLowerCase()}; only a verified contract’s store information is kept in step.`);
  const result = await applyAcquirerStoreInfo({ storeId: row.storeId, acquirerId: acquirer.acquirerId, info: options.info });
  if (result.outcome === 'acquirer_behind') {
    throw new AppError('conflict', `ServerPOS holds version ${result.storeInfoVersion} of this store’s information, newer than yours; it is being sent to your registry.`);
  }
  return { outcome: result.outcome, storeInfoVersion: result.storeInfoVersion };
}
