import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { readAcquirers, readDeclineReasons, readStatsCells, type AcquirerRef, type RollupScope } from '@/lib/stats/rollup-queries';
import { daysOf, resolvePeriod, storeStatisticsFiltersSchema, type StoreStatisticsFilters } from '@/lib/stats/stats-filters';
import { dailySeries, groupCells, rankGroups, totalOf, type StatisticsGroup } from '@/lib/stats/summarize-stats';
import { isUuid, parseInput } from '@/lib/validation';

export interface StoreStatistics {
  from: string;
  to: string;
  filters: Omit<StoreStatisticsFilters, 'from' | 'to'>;
  totals: StatisticsGroup;
  series: (StatisticsGroup & { day: string })[];
  byAcquirer: (StatisticsGroup & { acquirer: AcquirerRef })[];
  byBrand: (StatisticsGroup & { brand: string })[];
  byPos: (StatisticsGroup & { pos: { id: string; name: string } })[];
  declinesByReason: { code: string; count: number }[];
}

export type StoreStatisticsInput = Partial<Record<'from' | 'to' | 'posId' | 'acquirerId' | 'brand', string | undefined>>;

/**
 * One store's settlement statistics, the operator's kind for its own payments only: totals, a daily series,
 * by acquirer, brand and POS, declines by reason, from the store-level rollups. The caller has checked that
 * the user belongs to the store (requireStoreUser); a POS of another store is not_found, like one that does
 * not exist, and so is an acquirer that does not exist.
 */
export async function getStoreStatistics(input: StoreStatisticsInput & { storeId: string; now?: Date }): Promise<StoreStatistics> {
  const { storeId, now, ...query } = input;
  const filters = parseInput(storeStatisticsFiltersSchema, query);
  if (!isUuid(storeId)) throw new AppError('not_found', 'No such store.');
  const period = resolvePeriod(filters, now);
  if (filters.posId && !(await db().pos.findFirst({ where: { id: filters.posId, storeId }, select: { id: true } }))) throw new AppError('not_found', 'No such POS.');
  if (filters.acquirerId && !(await db().acquirer.findUnique({ where: { id: filters.acquirerId }, select: { id: true } }))) throw new AppError('not_found', 'No such acquirer.');

  const scope: RollupScope = { start: period.start, end: period.end, storeId, posId: filters.posId, acquirerId: filters.acquirerId, brand: filters.brand };
  const [cells, declinesByReason] = await Promise.all([readStatsCells(scope), readDeclineReasons(scope)]);
  const acquirers = await readAcquirers(cells.map((cell) => cell.acquirerId));
  const poses = new Map((await db().pos.findMany({ where: { storeId }, select: { id: true, name: true } })).map((pos) => [pos.id, pos]));

  return {
    from: period.from,
    to: period.to,
    filters: Object.fromEntries(Object.entries({ posId: filters.posId, acquirerId: filters.acquirerId, brand: filters.brand }).filter(([, value]) => value !== undefined)),
    totals: totalOf(cells),
    series: dailySeries(cells, daysOf(period.from, period.to)),
    byAcquirer: rankGroups(
      [...groupCells(cells, (cell) => cell.acquirerId).entries()].map(([id, group]) => ({ ...group, acquirer: acquirers.get(id) ?? { id, code: '?', name: 'Unknown acquirer' } })),
      (row) => row.acquirer.name,
    ),
    byBrand: rankGroups(
      [...groupCells(cells, (cell) => cell.brand).entries()].map(([brand, group]) => ({ ...group, brand })),
      (row) => row.brand,
    ),
    byPos: rankGroups(
      [...groupCells(cells, (cell) => cell.posId).entries()].map(([id, group]) => ({ ...group, pos: poses.get(id) ?? { id, name: 'Removed POS' } })),
      (row) => row.pos.name,
    ),
    declinesByReason,
  };
}
