import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';

export interface PosProfile {
  pos: { id: string; name: string; status: 'ACTIVE' | 'DISABLED' };
  store: { id: string; name: string; status: 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'WITHDRAWN' };
  acquirers: { code: string; name: string; brands: string[]; registered: boolean }[];
  /** True only for an active store and POS with at least one acquirer it is registered with. */
  canAuthorize: boolean;
}

/** What a POS API caller may know about itself (GET /api/v1/pos/me). */
export async function getPosProfile(options: { storeId: string; posId: string }): Promise<PosProfile> {
  if (!isUuid(options.storeId) || !isUuid(options.posId)) throw new AppError('not_found', 'POS not found.');
  const pos = await db().pos.findFirst({
    where: { id: options.posId, storeId: options.storeId },
    select: {
      id: true,
      name: true,
      status: true,
      store: { select: { id: true, name: true, status: true } },
      acquirers: {
        where: { status: { not: 'WITHDRAWN' } },
        select: { status: true, contract: { select: { status: true } }, acquirer: { select: { code: true, name: true, brands: true, status: true } } },
        orderBy: { acquirer: { name: 'asc' } },
      },
    },
  });
  if (!pos) throw new AppError('not_found', 'POS not found.');
  const acquirers = pos.acquirers.map((link) => ({
    code: link.acquirer.code,
    name: link.acquirer.name,
    brands: link.acquirer.brands,
    registered: link.status === 'REGISTERED' && link.contract.status === 'VERIFIED' && link.acquirer.status === 'ACTIVE',
  }));
  return {
    pos: { id: pos.id, name: pos.name, status: pos.status },
    store: { id: pos.store.id, name: pos.store.name, status: pos.store.status },
    acquirers,
    canAuthorize: pos.store.status === 'ACTIVE' && pos.status === 'ACTIVE' && acquirers.some((acquirer) => acquirer.registered),
  };
}
