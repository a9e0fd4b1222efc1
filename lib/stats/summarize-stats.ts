/**
 * The arithmetic of the statistics pages, free of the database: rollup cells in, totals, a daily series and
 * breakdowns out. Amounts are added up per currency only (a yen and a dollar are never summed) and leave as
 * decimal strings of minor units, so they survive JSON and a client component without losing precision;
 * counts are summed over currencies, since an authorisation is one whatever its currency.
 */

export const statisticKinds = ['authorizations', 'declines', 'captures', 'voids', 'refunds'] as const;
export type StatisticKind = (typeof statisticKinds)[number];

export interface Figures {
  count: number;
  /** Minor units of the currency, as a decimal string. */
  amount: string;
}

export type CurrencyFigures = { currency: string } & Record<StatisticKind, Figures>;

export interface StatisticsGroup {
  counts: Record<StatisticKind, number>;
  /** Authorisations / (authorisations + declines), 0 to 1; null when there was neither. */
  approvalRate: number | null;
  /** One entry per currency that had anything, in currency order. */
  byCurrency: CurrencyFigures[];
}

/** One row of a rollup table as read: the figures of one day × acquirer × brand × currency (and POS or store). */
export interface StatsCell {
  day: string;
  acquirerId: string;
  brand: string;
  currency: string;
  posId?: string | null;
  storeId?: string | null;
  authorizationCount: number;
  authorizationAmount: bigint;
  declineCount: number;
  declineAmount: bigint;
  captureCount: number;
  captureAmount: bigint;
  voidCount: number;
  voidAmount: bigint;
  refundCount: number;
  refundAmount: bigint;
}

const columns = {
  authorizations: ['authorizationCount', 'authorizationAmount'],
  declines: ['declineCount', 'declineAmount'],
  captures: ['captureCount', 'captureAmount'],
  voids: ['voidCount', 'voidAmount'],
  refunds: ['refundCount', 'refundAmount'],
} as const satisfies Record<StatisticKind, readonly [keyof StatsCell, keyof StatsCell]>;

export function approvalRate(authorizations: number, declines: number): number | null {
  return authorizations + declines === 0 ? null : authorizations / (authorizations + declines);
}

interface Accumulator {
  counts: Record<StatisticKind, number>;
  amounts: Map<string, Record<StatisticKind, { count: number; amount: bigint }>>;
}

const zeroCounts = (): Record<StatisticKind, number> => ({ authorizations: 0, declines: 0, captures: 0, voids: 0, refunds: 0 });
const zeroFigures = () => ({ authorizations: { count: 0, amount: 0n }, declines: { count: 0, amount: 0n }, captures: { count: 0, amount: 0n }, voids: { count: 0, amount: 0n }, refunds: { count: 0, amount: 0n } });

function add(accumulator: Accumulator, cell: StatsCell): void {
  let perCurrency = accumulator.amounts.get(cell.currency);
  if (!perCurrency) accumulator.amounts.set(cell.currency, (perCurrency = zeroFigures()));
  for (const kind of statisticKinds) {
    const [countColumn, amountColumn] = columns[kind];
    const count = cell[countColumn] as number;
    const amount = cell[amountColumn] as bigint;
    accumulator.counts[kind] += count;
    perCurrency[kind].count += count;
    perCurrency[kind].amount += amount;
  }
}

function finish(accumulator: Accumulator): StatisticsGroup {
  const byCurrency = [...accumulator.amounts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, figures]) => ({
      currency,
      ...(Object.fromEntries(statisticKinds.map((kind) => [kind, { count: figures[kind].count, amount: figures[kind].amount.toString() }])) as Record<StatisticKind, Figures>),
    }));
  return { counts: accumulator.counts, approvalRate: approvalRate(accumulator.counts.authorizations, accumulator.counts.declines), byCurrency };
}

/** The cells added up per key (e.g. per acquirer), in first-seen order; a cell whose key is null is left out. */
export function groupCells(cells: readonly StatsCell[], keyOf: (cell: StatsCell) => string | null | undefined): Map<string, StatisticsGroup> {
  const groups = new Map<string, Accumulator>();
  for (const cell of cells) {
    const key = keyOf(cell);
    if (key === null || key === undefined) continue;
    let accumulator = groups.get(key);
    if (!accumulator) groups.set(key, (accumulator = { counts: zeroCounts(), amounts: new Map() }));
    add(accumulator, cell);
  }
  return new Map([...groups.entries()].map(([key, accumulator]) => [key, finish(accumulator)]));
}

/** All the cells as one group: the period's totals. */
export function totalOf(cells: readonly StatsCell[]): StatisticsGroup {
  return groupCells(cells, () => 'all').get('all') ?? { counts: zeroCounts(), approvalRate: null, byCurrency: [] };
}

/** One entry per day of the period, days without any figure included (as zeros), oldest first. */
export function dailySeries(cells: readonly StatsCell[], days: readonly string[]): (StatisticsGroup & { day: string })[] {
  const byDay = groupCells(cells, (cell) => cell.day);
  return days.map((day) => ({ day, ...(byDay.get(day) ?? { counts: zeroCounts(), approvalRate: null, byCurrency: [] }) }));
}

/** Groups in order of their authorisations (most first), then their key. */
export function rankGroups<T extends StatisticsGroup>(groups: T[], nameOf: (group: T) => string): T[] {
  return groups.sort((a, b) => b.counts.authorizations - a.counts.authorizations || b.counts.declines - a.counts.declines || nameOf(a).localeCompare(nameOf(b)));
}
