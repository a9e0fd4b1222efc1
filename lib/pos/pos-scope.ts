import type { Actor } from '@/lib/audit/record-audit-event';
import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { requireChangeableStore } from '@/lib/stores/store-scope';
import { isUuid } from '@/lib/validation';

export const posNotFound = () => new AppError('not_found', 'POS not found.');

/**
 * The POS a console change is about, inside the caller's transaction: it must belong to a store the actor
 * may change. Another store's POS is "not found", exactly like one that does not exist.
 */
export async function requireStorePos(tx: Tx, input: { storeId: string; actor: Actor; posId: string }) {
  const store = await requireChangeableStore(tx, input.storeId, input.actor);
  if (!isUuid(input.posId)) throw posNotFound();
  const pos = await tx.pos.findFirst({ where: { id: input.posId, storeId: store.id }, select: { id: true, name: true, status: true } });
  if (!pos) throw posNotFound();
  return { store, pos };
}

/** Names are unique per store regardless of case, so "Web shop" and "web shop" cannot both exist. */
export async function assertPosNameFree(tx: Tx, input: { storeId: string; name: string; exceptPosId?: string }): Promise<void> {
  const taken = await tx.pos.findFirst({
    where: { storeId: input.storeId, name: { equals: input.name, mode: 'insensitive' }, ...(input.exceptPosId ? { id: { not: input.exceptPosId } } : {}) },
    select: { name: true },
  });
  if (taken) throw duplicatePosName(taken.name);
}

export function duplicatePosName(name: string): AppError {
  const message = `Your store already has a POS called “${name}”. Choose another name.`;
  return new AppError('conflict', message, [{ path: 'name', message }]);
}
