import type { AcquirerStoreView } from '@/lib/acquirers/acquirer-api-schemas';
import { findAcquirerStore, toAcquirerStoreView } from '@/lib/acquirers/acquirer-store-view';
import type { AcquirerCaller } from '@/lib/acquirers/authenticate-acquirer-request';
import { SUSPENDABLE_CONTRACT_STATUSES } from '@/lib/acquirers/suspend-acquirer-store';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { resumeStore } from '@/lib/stores/resume-store';

const holders = { STORE: 'the store itself', ACQUIRER: 'another acquirer', OPERATOR: 'the ServerPOS operator' } as const;

/**
 * An acquirer lifts a suspension (acquirer API): only one it made itself; one by the store, the operator or
 * another acquirer is refused (409 invalid_state_transition, saying who holds it — the operator lifts an
 * acquirer's from its console). Resuming an active store changes nothing and answers `changed: false`.
 */
export async function resumeAcquirerStore(options: { acquirer: AcquirerCaller; merchantNumber: string; origin?: RequestOrigin | null }): Promise<{ store: AcquirerStoreView; changed: boolean }> {
  const { acquirer } = options;
  const row = await findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber);
  const view = () => findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber).then((current) => toAcquirerStoreView(current, acquirer.acquirerId));
  if (row.store.status === 'ACTIVE') return { store: await view(), changed: false };
  if (!SUSPENDABLE_CONTRACT_STATUSES.includes(row.status)) throw new AppError('invalid_state_transition', `Your contract with this store is ${row.status.toLowerCase()}, not in force.`);
  if (row.store.status === 'SUSPENDED' && !(row.store.suspendedBy === 'ACQUIRER' && row.store.suspendedByAcquirerId === acquirer.acquirerId)) {
    // Named as a kind only: which other acquirer suspended the store is not this one's business.
    throw new AppError('invalid_state_transition', `The store was suspended by ${holders[row.store.suspendedBy ?? 'OPERATOR']}; only they (or the ServerPOS operator, for an acquirer's suspension) can lift it.`);
  }
  await resumeStore({ storeId: row.storeId, actor: acquirer.actor, source: 'ACQUIRER', acquirerId: acquirer.acquirerId, origin: options.origin ?? null });
  return { store: await view(), changed: true };
}
