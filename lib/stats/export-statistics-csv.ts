import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { formatMinorUnits, isSupportedCurrency } from '@/lib/payments/currencies';
import { csvRow, type CsvValue } from '@/lib/payments/csv';
import { readAcquirers, readStatsCells, type RollupScope } from '@/lib/stats/rollup-queries';
import { operatorStatisticsFiltersSchema, resolvePeriod, storeStatisticsFiltersSchema } from '@/lib/stats/stats-filters';
import { statisticKinds, type StatsCell } from '@/lib/stats/summarize-stats';
import { isUuid, parseInput } from '@/lib/validation';

type RawQuery = URLSearchParams | Record<string, string | undefined>;

const figureColumns = statisticKinds.flatMap((kind) => [kind, `${kind}_amount`]);
const singular = { authorizations: 'authorization', declines: 'decline', captures: 'capture', voids: 'void', refunds: 'refund' } as const;

// Amounts in the currency's major units with its exact decimals, as the payments export writes them.
function majorUnits(amount: bigint, currency: string): string {
  return isSupportedCurrency(currency) ? formatMinorUnits(amount, currency) : amount.toString();
}

function figureValues(cell: StatsCell): CsvValue[] {
  return statisticKinds.flatMap((kind) => {
    const count = cell[`${singular[kind]}Count`];
    const amount = cell[`${singular[kind]}Amount`];
    return [count, majorUnits(amount, cell.currency)];
  });
}

function toRecord(query: RawQuery): Record<string, string | undefined> {
  return query instanceof URLSearchParams ? Object.fromEntries(query.entries()) : query;
}

/**
 * The statistics page's figures as CSV, for the same filters: one record per UTC day × acquirer × brand ×
 * currency (and POS, for a store), oldest day first, counts and amounts of authorisations, declines,
 * captures, voids and refunds (major units of the record's currency). The operator's export covers every
 * store (or the one filtered); a store's covers its own payments only. Filters are checked and the export
 * is recorded in the audit log before anything is read. Names (POSes) are other people's text: the CSV
 * writer defuses formulas.
 */
export async function exportStatisticsCsv(options: {
  scope: { kind: 'operator' } | { kind: 'store'; storeId: string };
  actor: Actor;
  query: RawQuery;
  origin?: RequestOrigin | null;
  now?: Date;
}): Promise<{ filename: string; body: string }> {
  const query = toRecord(options.query);
  const store = options.scope.kind === 'store' ? options.scope.storeId : null;
  let scope: RollupScope;
  let applied: Record<string, string | undefined>;
  if (store === null) {
    const filters = parseInput(operatorStatisticsFiltersSchema, { from: query.from, to: query.to, acquirerId: query.acquirerId, brand: query.brand, storeId: query.storeId, currency: query.currency });
    if (filters.acquirerId && !(await db().acquirer.findUnique({ where: { id: filters.acquirerId }, select: { id: true } }))) throw new AppError('not_found', 'No such acquirer.');
    if (filters.storeId && !(await db().store.findUnique({ where: { id: filters.storeId }, select: { id: true } }))) throw new AppError('not_found', 'No such store.');
    const period = resolvePeriod(filters, options.now);
    scope = { start: period.start, end: period.end, storeId: filters.storeId, acquirerId: filters.acquirerId, brand: filters.brand, currency: filters.currency };
    applied = { from: period.from, to: period.to, acquirerId: filters.acquirerId, brand: filters.brand, storeId: filters.storeId, currency: filters.currency };
  } else {
    const filters = parseInput(storeStatisticsFiltersSchema, { from: query.from, to: query.to, posId: query.posId, acquirerId: query.acquirerId, brand: query.brand });
    if (!isUuid(store)) throw new AppError('not_found', 'No such store.');
    if (filters.posId && !(await db().pos.findFirst({ where: { id: filters.posId, storeId: store }, select: { id: true } }))) throw new AppError('not_found', 'No such POS.');
    if (filters.acquirerId && !(await db().acquirer.findUnique({ where: { id: filters.acquirerId }, select: { id: true } }))) throw new AppError('not_found', 'No such acquirer.');
    const period = resolvePeriod(filters, options.now);
    scope = { start: period.start, end: period.end, storeId: store, posId: filters.posId, acquirerId: filters.acquirerId, brand: filters.brand };
    applied = { from: period.from, to: period.to, posId: filters.posId, acquirerId: filters.acquirerId, brand: filters.brand };
  }
  const filterText = new URLSearchParams(Object.entries(applied).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
  await db().$transaction((tx) =>
    recordAuditEvent(tx, { actor: options.actor, action: 'statistics.exported', storeId: store, targetType: store ? 'Store' : 'Statistics', ...(store ? { targetId: store } : {}), data: { filters: filterText }, origin: options.origin ?? null }),
  );

  const cells = await readStatsCells(scope);
  const acquirers = await readAcquirers(cells.map((cell) => cell.acquirerId));
  const poses = store ? new Map((await db().pos.findMany({ where: { storeId: store }, select: { id: true, name: true } })).map((pos) => [pos.id, pos.name])) : new Map<string, string>();
  const storeLevel = scope.storeId !== undefined;
  const header = ['day', ...(store ? ['pos'] : storeLevel ? ['store_id', 'pos_id'] : []), 'acquirer', 'brand', 'currency', ...figureColumns];
  const sorted = [...cells].sort(
    (a, b) =>
      a.day.localeCompare(b.day) ||
      (acquirers.get(a.acquirerId)?.code ?? '').localeCompare(acquirers.get(b.acquirerId)?.code ?? '') ||
      a.brand.localeCompare(b.brand) ||
      a.currency.localeCompare(b.currency) ||
      (a.posId ?? '').localeCompare(b.posId ?? ''),
  );
  const lines = sorted.map((cell) =>
    csvRow([
      cell.day,
      ...(store ? [poses.get(cell.posId ?? '') ?? cell.posId] : storeLevel ? [cell.storeId, cell.posId] : []),
      acquirers.get(cell.acquirerId)?.code ?? cell.acquirerId,
      cell.brand,
      cell.currency,
      ...figureValues(cell),
    ]),
  );
  const day = (options.now ?? new Date()).toISOString().slice(0, 10);
  return { filename: `statistics-${day}.csv`, body: csvRow(header) + lines.join('') };
}
