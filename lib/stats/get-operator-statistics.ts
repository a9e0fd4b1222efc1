import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { readAcquirers, readDeclineReasons, readStatsCells, readTopStores, type AcquirerRef, type RollupScope } from '@/lib/stats/rollup-queries';
import { daysOf, operatorStatisticsFiltersSchema, resolvePeriod, type OperatorStatisticsFilters } from '@/lib/stats/stats-filters';
import { dailySeries, groupCells, rankGroups, totalOf, type StatisticsGroup } from '@/lib/stats/summarize-stats';
import { parseInput } from '@/lib/validation';

/** At most this many stores per currency in "top stores". */
export const TOP_STORES_LIMIT = 20;

export interface OperatorStatistics {
  from: string;
  to: string;
  /** The filters as applied (empty ones left out). */
  filters: Omit<OperatorStatisticsFilters, 'from' | 'to'>;
  totals: StatisticsGroup;
  /** Every day of the period, oldest first, days without payments as zeros. */
  series: (StatisticsGroup & { day: string })[];
  byAcquirer: (StatisticsGroup & { acquirer: AcquirerRef })[];
  byBrand: (StatisticsGroup & { brand: string })[];
  /** Per currency, the stores with the most authorised (at most TOP_STORES_LIMIT each); one currency per row. */
  topStores: (StatisticsGroup & { store: { id: string; name: string } })[];
  declinesByReason: { code: string; count: number }[];
}

export type OperatorStatisticsInput = Partial<Record<'from' | 'to' | 'acquirerId' | 'brand' | 'storeId' | 'currency', string | undefined>>;

/**
 * The operator's settlement statistics over every store (or one, with `storeId`), for a period of UTC days:
 * totals with the approval rate, a daily series, breakdowns by acquirer and brand, the top stores by
 * authorised amount, and declines by reason. Read from the daily rollups, never from the payments, so a
 * period costs days × acquirers × brands rows whatever the number of payments; the figures are as of the
 * rollup's last run (every minute). An acquirer or store that does not exist is not_found.
 */
export async function getOperatorStatistics(input: OperatorStatisticsInput & { now?: Date }): Promise<OperatorStatistics> {
  const { now, ...query } = input;
  const filters = parseInput(operatorStatisticsFiltersSchema, query);
  const period = resolvePeriod(filters, now);
  if (filters.acquirerId && !(await db().acquirer.findUnique({ where: { id: filters.acquirerId }, select: { id: true } }))) throw new AppError('not_found', 'No such acquirer.');
  if (filters.storeId && !(await db().store.findUnique({ where: { id: filters.storeId }, select: { id: true } }))) throw new AppError('not_found', 'No such store.');

  const scope: RollupScope = { start: period.start, end: period.end, storeId: filters.storeId, acquirerId: filters.acquirerId, brand: filters.brand, currency: filters.currency };
  const [cells, declinesByReason, topStoreCells] = await Promise.all([readStatsCells(scope), readDeclineReasons(scope), readTopStores(scope, TOP_STORES_LIMIT)]);
  const acquirers = await readAcquirers(cells.map((cell) => cell.acquirerId));

  return {
    from: period.from,
    to: period.to,
    filters: Object.fromEntries(Object.entries({ acquirerId: filters.acquirerId, brand: filters.brand, storeId: filters.storeId, currency: filters.currency }).filter(([, value]) => value !== undefined)),
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
    topStores: topStoreCells.map((cell) => ({ ...totalOf([cell]), store: { id: cell.storeId, name: cell.storeName } })),
    declinesByReason,
  };
}
