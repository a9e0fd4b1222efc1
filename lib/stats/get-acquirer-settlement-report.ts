import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { acquirerSettlementReportFiltersSchema, resolvePeriod } from '@/lib/stats/stats-filters';
import { totalOf, type CurrencyFigures } from '@/lib/stats/summarize-stats';
import { isUuid, parseInput } from '@/lib/validation';

export interface AcquirerSettlementRow {
  /** YYYY-MM-DD, UTC. */
  day: string;
  store: { id: string; name: string; merchantNumber: string };
  /** Counts and amounts (minor units, decimal strings) of authorisations, captures, refunds, voids and declines, one entry per currency. */
  byCurrency: CurrencyFigures[];
  /** The day's declines at this store by the issuer's reason, most frequent first. */
  declinesByReason: { code: string; count: number }[];
}

export interface AcquirerSettlementReport {
  acquirer: { id: string; code: string; name: string };
  from: string;
  to: string;
  rows: AcquirerSettlementRow[];
}

export type AcquirerSettlementReportInput = Partial<Record<'from' | 'to' | 'merchantNumber', string | undefined>>;

/**
 * An acquirer's settlement report: per UTC day and store, what went through it — counts and amounts of
 * authorisations, captures, refunds, voids and declines, and the declines by reason — newest day first,
 * stores by merchant number. Only stores under a contract with this acquirer appear, and only their
 * payments through it (from the store-level rollups). `merchantNumber` narrows it to one store; a number
 * this acquirer has no contract under is not_found, whoever else may hold it, and so is an unknown acquirer.
 */
export async function getAcquirerSettlementReport(input: AcquirerSettlementReportInput & { acquirerId: string; now?: Date }): Promise<AcquirerSettlementReport> {
  const { acquirerId, now, ...query } = input;
  const filters = parseInput(acquirerSettlementReportFiltersSchema, query);
  const acquirer = isUuid(acquirerId) ? await db().acquirer.findUnique({ where: { id: acquirerId }, select: { id: true, code: true, name: true } }) : null;
  if (!acquirer) throw new AppError('not_found', 'No such acquirer.');
  const period = resolvePeriod(filters, now);
  const contracts = await db().acquirerContract.findMany({
    where: { acquirerId, ...(filters.merchantNumber ? { merchantNumber: filters.merchantNumber } : {}) },
    select: { storeId: true, merchantNumber: true, store: { select: { name: true } } },
  });
  if (filters.merchantNumber && contracts.length === 0) throw new AppError('not_found', 'No store has a contract with this merchant number.');
  const stores = new Map(contracts.map((contract) => [contract.storeId, { id: contract.storeId, name: contract.store.name, merchantNumber: contract.merchantNumber }]));
  const storeIds = [...stores.keys()];
  if (storeIds.length === 0) return { acquirer, from: period.from, to: period.to, rows: [] };

  const cells = await db().dailyStoreStats.findMany({
    where: { acquirerId, storeId: { in: storeIds }, day: { gte: period.start, lte: period.end } },
    omit: { posId: true },
  });
  const declines = await db().dailyDeclineStats.groupBy({
    by: ['day', 'storeId', 'declineCode'],
    where: { acquirerId, storeId: { in: storeIds }, day: { gte: period.start, lte: period.end } },
    _sum: { count: true },
  });

  const keyOf = (day: Date, storeId: string) => `${day.toISOString().slice(0, 10)}|${storeId}`;
  const cellsByKey = new Map<string, typeof cells>();
  for (const cell of cells) {
    const key = keyOf(cell.day, cell.storeId);
    cellsByKey.set(key, [...(cellsByKey.get(key) ?? []), cell]);
  }
  const declinesByKey = new Map<string, { code: string; count: number }[]>();
  for (const decline of declines) {
    const key = keyOf(decline.day, decline.storeId);
    declinesByKey.set(key, [...(declinesByKey.get(key) ?? []), { code: decline.declineCode, count: decline._sum.count ?? 0 }]);
  }

  const rows: AcquirerSettlementRow[] = [...cellsByKey.entries()].map(([key, storeCells]) => {
    const [day, storeId] = key.split('|') as [string, string];
    const total = totalOf(storeCells.map((cell) => ({ ...cell, day })));
    return {
      day,
      store: stores.get(storeId)!,
      byCurrency: total.byCurrency,
      declinesByReason: (declinesByKey.get(key) ?? []).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    };
  });
  rows.sort((a, b) => (a.day === b.day ? a.store.merchantNumber.localeCompare(b.store.merchantNumber) : a.day < b.day ? 1 : -1));
  return { acquirer, from: period.from, to: period.to, rows };
}
