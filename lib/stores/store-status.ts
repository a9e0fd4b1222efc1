import type { Tx } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/client';
import type { StoreStatus, SuspensionSource } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';

/**
 * Every change of a store's status, as data: PENDING → ACTIVE ⇄ SUSPENDED,
 * and any living store → WITHDRAWN. Withdrawal is final. Checked before every
 * change, and each change is a guarded update on the status it came from.
 */
export const storeStatusTransitions = {
  PENDING: ['ACTIVE', 'WITHDRAWN'],
  ACTIVE: ['SUSPENDED', 'WITHDRAWN'],
  SUSPENDED: ['ACTIVE', 'WITHDRAWN'],
  WITHDRAWN: [],
} as const satisfies Record<StoreStatus, readonly StoreStatus[]>;

export function canChangeStoreStatus(from: StoreStatus, to: StoreStatus): boolean {
  return (storeStatusTransitions[from] as readonly StoreStatus[]).includes(to);
}

const refusals: Partial<Record<`${StoreStatus}>${StoreStatus}`, string>> = {
  'SUSPENDED>SUSPENDED': 'Processing for this store is already suspended.',
  'ACTIVE>ACTIVE': 'Processing for this store is not suspended.',
  'PENDING>SUSPENDED': 'The store is not active yet, so there is no processing to suspend.',
  'PENDING>ACTIVE': 'The store is not active yet.',
  'WITHDRAWN>SUSPENDED': 'The store has withdrawn; its status can no longer change.',
  'WITHDRAWN>ACTIVE': 'The store has withdrawn; its status can no longer change.',
  'WITHDRAWN>WITHDRAWN': 'The store has already withdrawn.',
};

/** Throws invalid_state_transition, with a reason a person understands, unless `from → to` is allowed. */
export function assertStoreStatusChange(from: StoreStatus, to: StoreStatus): void {
  if (canChangeStoreStatus(from, to)) return;
  throw new AppError('invalid_state_transition', refusals[`${from}>${to}`] ?? `A store that is ${from.toLowerCase()} cannot become ${to.toLowerCase()}.`);
}

/**
 * Changes the status only if it is still `from` (and `where` still holds):
 * of two concurrent changes from one status, one wins and the other sees
 * `false`. The transition is checked first.
 */
export async function changeStoreStatus(
  tx: Tx,
  options: { storeId: string; from: StoreStatus; to: StoreStatus; where?: Prisma.StoreWhereInput; data?: Prisma.StoreUpdateManyMutationInput },
): Promise<boolean> {
  assertStoreStatusChange(options.from, options.to);
  const updated = await tx.store.updateMany({
    where: { ...options.where, id: options.storeId, status: options.from },
    data: { ...options.data, status: options.to },
  });
  return updated.count === 1;
}

/** Who suspended a store, in words for pages and e-mails. */
export function suspendedByLabel(source: SuspensionSource, acquirerName: string | null | undefined): string {
  switch (source) {
    case 'STORE':
      return 'your store';
    case 'ACQUIRER':
      return acquirerName ?? 'an acquirer';
    case 'OPERATOR':
      return 'the ServerPOS operator';
  }
}
