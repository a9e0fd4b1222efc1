import { db } from '@/lib/db/client';

export interface StatisticsFilterOptions {
  acquirers: { id: string; code: string; name: string }[];
  brands: string[];
  /** The store's POSes, for a store's page. */
  poses: { id: string; name: string }[];
}

/**
 * What the statistics filters offer: for the operator every acquirer and brand; for a store the acquirers
 * it has contracts with, their brands, and its own POSes.
 */
export async function getStatisticsFilterOptions(options: { storeId?: string } = {}): Promise<StatisticsFilterOptions> {
  const acquirers = await db().acquirer.findMany({
    where: options.storeId ? { contracts: { some: { storeId: options.storeId } } } : {},
    orderBy: { name: 'asc' },
    select: { id: true, code: true, name: true, brands: true },
  });
  const poses = options.storeId ? await db().pos.findMany({ where: { storeId: options.storeId }, orderBy: { name: 'asc' }, select: { id: true, name: true } }) : [];
  return {
    acquirers: acquirers.map(({ id, code, name }) => ({ id, code, name })),
    brands: [...new Set(acquirers.flatMap((acquirer) => acquirer.brands))].sort(),
    poses,
  };
}
