import type { Actor } from '@/lib/audit/record-audit-event';
import type { Tx } from '@/lib/db/client';
import type { SuspensionSource } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

export interface SuspensionParty {
  source: SuspensionSource;
  /** Set for source ACQUIRER. */
  acquirerId: string | null;
  /** Set for source STORE: the store user acting. */
  storeUserId: string | null;
}

const notFound = () => new AppError('not_found', 'Store not found.');

/**
 * Checks that the actor may act on this store as `source`: a user of this very
 * store for STORE, an acquirer the store has a contract with for ACQUIRER, the
 * operator (or the system) for OPERATOR. Anything else is "not found", like a
 * store that does not exist.
 */
export async function resolveSuspensionParty(
  tx: Tx,
  options: { storeId: string; actor: Actor; source: SuspensionSource; acquirerId?: string | null },
): Promise<SuspensionParty> {
  const { storeId, actor, source } = options;
  if (!isUuid(storeId)) throw notFound();
  switch (source) {
    case 'STORE': {
      if (actor.type !== 'STORE_USER' || !actor.id || !isUuid(actor.id)) throw notFound();
      const user = await tx.storeUser.findFirst({ where: { id: actor.id, storeId }, select: { id: true } });
      if (!user) throw notFound();
      return { source, acquirerId: null, storeUserId: user.id };
    }
    case 'ACQUIRER': {
      const acquirerId = options.acquirerId;
      if (actor.type !== 'ACQUIRER' || !acquirerId || !isUuid(acquirerId)) throw notFound();
      const contract = await tx.acquirerContract.findFirst({ where: { storeId, acquirerId }, select: { id: true } });
      if (!contract) throw notFound();
      return { source, acquirerId, storeUserId: null };
    }
    case 'OPERATOR':
      if (actor.type !== 'OPERATOR' && actor.type !== 'SYSTEM') throw notFound();
      return { source, acquirerId: null, storeUserId: null };
  }
}
