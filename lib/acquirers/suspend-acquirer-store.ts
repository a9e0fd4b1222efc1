import type { AcquirerStoreView } from '@/lib/acquirers/acquirer-api-schemas';
import { findAcquirerStore, toAcquirerStoreView } from '@/lib/acquirers/acquirer-store-view';
import type { AcquirerCaller } from '@/lib/acquirers/authenticate-acquirer-request';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { suspendStore } from '@/lib/stores/suspend-store';

/** Contracts under which an acquirer may stop or restart a store's processing. */
export const SUSPENDABLE_CONTRACT_STATUSES: readonly string[] = ['VERIFIED', 'WITHDRAWING'];

/**
 * An acquirer suspends one of its stores (acquirer API): suspendStore as source ACQUIRER, so it holds for
 * every acquirer at once, the store is e-mailed and its console shows who and why. Once this returns, no
 * payment of the store can be claimed for authorisation (see lib/checkout/claim-payment.ts). Suspending a
 * suspended store changes nothing and answers `changed: false`.
 */
export async function suspendAcquirerStore(options: { acquirer: AcquirerCaller; merchantNumber: string; reason: unknown; origin?: RequestOrigin | null }): Promise<{ store: AcquirerStoreView; changed: boolean }> {
  const { acquirer } = options;
  const row = await findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber);
  if (!SUSPENDABLE_CONTRACT_STATUSES.includes(row.status)) throw new AppError('invalid_state_transition', `Your contract with this store is ${row.status.toLowerCase()}, not in force: there is nothing of yours to suspend.`);
  const { changed } = await suspendStore({
    storeId: row.storeId,
    actor: acquirer.actor,
    source: 'ACQUIRER',
    acquirerId: acquirer.acquirerId,
    reason: options.reason,
    origin: options.origin ?? null,
  });
  return { store: toAcquirerStoreView(await findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber), acquirer.acquirerId), changed };
}
