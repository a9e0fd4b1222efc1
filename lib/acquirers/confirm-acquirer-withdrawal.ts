import type { AcquirerStoreView } from '@/lib/acquirers/acquirer-api-schemas';
import { findAcquirerStore, toAcquirerStoreView } from '@/lib/acquirers/acquirer-store-view';
import type { AcquirerCaller } from '@/lib/acquirers/authenticate-acquirer-request';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { recordWithdrawalConfirmed } from '@/lib/stores/record-withdrawal-confirmed';

/**
 * An acquirer confirms a withdrawal the store asked for (acquirer API): the same recording step as the
 * worker's (recordWithdrawalConfirmed). With no withdrawal pending it is 409 invalid_state_transition; a
 * confirmation of one already withdrawn changes nothing and answers `changed: false`.
 */
export async function confirmAcquirerWithdrawal(options: { acquirer: AcquirerCaller; merchantNumber: string; origin?: RequestOrigin | null }): Promise<{ store: AcquirerStoreView; changed: boolean }> {
  const { acquirer } = options;
  const row = await findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber);
  let changed = false;
  if (row.status === 'WITHDRAWING') {
    changed = (await recordWithdrawalConfirmed({ contractId: row.id, actor: acquirer.actor, origin: options.origin ?? null })).recorded;
  }
  const current = await findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber);
  if (current.status !== 'WITHDRAWN') throw new AppError('invalid_state_transition', `The store has not asked to withdraw from you: the contract is ${current.status.toLowerCase()}.`);
  return { store: toAcquirerStoreView(current, acquirer.acquirerId), changed };
}
