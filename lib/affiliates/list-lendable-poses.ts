import { db } from '@/lib/db/client';
import { isUuid } from '@/lib/validation';

/** The brands each of the store's POSes can take now, for the grant form (a grant may only lend what the POS takes). */
export async function listLendablePoses(storeId: string): Promise<{ id: string; name: string; brands: string[] }[]> {
  if (!isUuid(storeId)) return [];
  const poses = await db().pos.findMany({
    where: { storeId, status: 'ACTIVE' },
    orderBy: { name: 'asc' },
    select: {
      id: true,
      name: true,
      acquirers: { where: { status: 'REGISTERED', contract: { status: 'VERIFIED' }, acquirer: { status: 'ACTIVE' } }, select: { acquirer: { select: { brands: true } } } },
    },
  });
  return poses
    .map((pos) => ({ id: pos.id, name: pos.name, brands: [...new Set(pos.acquirers.flatMap((link) => link.acquirer.brands))].sort() }))
    .filter((pos) => pos.brands.length > 0);
}
