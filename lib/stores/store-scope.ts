import type { Actor } from '@/lib/audit/record-audit-event';
import type { Prisma, Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

/** The stores an actor may change: a store user only their own, the operator (or the system) any. */
export function storesOf(actor: Actor): Prisma.StoreWhereInput | null {
  switch (actor.type) {
    case 'STORE_USER':
      return actor.id && isUuid(actor.id) ? { users: { some: { id: actor.id } } } : null;
    case 'OPERATOR':
    case 'SYSTEM':
      return {};
    default:
      return null;
  }
}

/**
 * Loads the store a console change is about, inside the caller's transaction. A store the actor may not
 * change is "not found", exactly like one that does not exist; a withdrawn store takes no change.
 */
export async function requireChangeableStore(tx: Tx, storeId: string, actor: Actor): Promise<{ id: string; status: string }> {
  const scope = storesOf(actor);
  if (!scope || !isUuid(storeId)) throw new AppError('not_found', 'Store not found.');
  const store = await tx.store.findFirst({ where: { id: storeId, ...scope }, select: { id: true, status: true } });
  if (!store) throw new AppError('not_found', 'Store not found.');
  if (store.status === 'WITHDRAWN') throw new AppError('invalid_state_transition', 'A withdrawn store cannot be changed.');
  return store;
}
