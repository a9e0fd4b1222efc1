import { db } from '@/lib/db/client';
import { Prisma } from '@/lib/db/generated/prisma/client';
import { periodSegments } from '@/lib/stats/period-segments';
import type { StatsCell } from '@/lib/stats/summarize-stats';

/**
 * Readers of the rollup tables, shared by the statistics queries. Without a store in the scope they read
 * the acquirer-level tables (DailyAcquirerStats, DailyAcquirerDeclineStats), whose size grows with days ×
 * acquirers × brands and not with the number of stores; with one, the store-level tables by their
 * (storeId, day) index. Never the payment tables: those are the rollup's business (refresh-daily-stats.ts).
 */
export interface RollupScope {
  /** First and last UTC day, both included (midnight UTC). */
  start: Date;
  end: Date;
  storeId?: string | undefined;
  posId?: string | undefined;
  acquirerId?: string | undefined;
  brand?: string | undefined;
  currency?: string | undefined;
}

const storeLevel = (scope: RollupScope) => scope.storeId !== undefined || scope.posId !== undefined;

function conditions(scope: RollupScope, options: { currency: boolean }): Prisma.Sql {
  const parts = [Prisma.sql`"day" >= ${scope.start}::date AND "day" <= ${scope.end}::date`];
  if (scope.storeId !== undefined) parts.push(Prisma.sql`"storeId" = ${scope.storeId}::uuid`);
  if (scope.posId !== undefined) parts.push(Prisma.sql`"posId" = ${scope.posId}::uuid`);
  if (scope.acquirerId !== undefined) parts.push(Prisma.sql`"acquirerId" = ${scope.acquirerId}::uuid`);
  if (scope.brand !== undefined) parts.push(Prisma.sql`"brand" = ${scope.brand}`);
  if (options.currency && scope.currency !== undefined) parts.push(Prisma.sql`"currency" = ${scope.currency}`);
  return Prisma.join(parts, ' AND ');
}

const figures = Prisma.raw(`"authorizationCount", "authorizationAmount", "declineCount", "declineAmount", "captureCount", "captureAmount",
  "voidCount", "voidAmount", "refundCount", "refundAmount"`);

/** The rollup rows of the scope, one per day × acquirer × brand × currency (× POS at store level). */
export async function readStatsCells(scope: RollupScope): Promise<StatsCell[]> {
  if (storeLevel(scope)) {
    return db().$queryRaw<StatsCell[]>`
      SELECT to_char("day", 'YYYY-MM-DD') AS "day", "acquirerId"::text AS "acquirerId", "brand", "currency", "posId"::text AS "posId", "storeId"::text AS "storeId", ${figures}
        FROM "DailyStoreStats" WHERE ${conditions(scope, { currency: true })}`;
  }
  return db().$queryRaw<StatsCell[]>`
    SELECT to_char("day", 'YYYY-MM-DD') AS "day", "acquirerId"::text AS "acquirerId", "brand", "currency", ${figures}
      FROM "DailyAcquirerStats" WHERE ${conditions(scope, { currency: true })}`;
}

/**
 * Declines of the scope by the issuer's reason, most frequent first. The decline tables have no currency
 * (a reason is not money), so a currency in the scope does not narrow them.
 */
export async function readDeclineReasons(scope: RollupScope): Promise<{ code: string; count: number }[]> {
  const rows = storeLevel(scope)
    ? await db().$queryRaw<{ code: string; count: bigint }[]>`
        SELECT "declineCode" AS "code", SUM("count")::bigint AS "count" FROM "DailyDeclineStats" WHERE ${conditions(scope, { currency: false })}
         GROUP BY 1 ORDER BY 2 DESC, 1`
    : await db().$queryRaw<{ code: string; count: bigint }[]>`
        SELECT "declineCode" AS "code", SUM("count")::bigint AS "count" FROM "DailyAcquirerDeclineStats" WHERE ${conditions(scope, { currency: false })}
         GROUP BY 1 ORDER BY 2 DESC, 1`;
  return rows.map((row) => ({ code: row.code, count: Number(row.count) }));
}

/** Conditions on the dimensions of the scope, for a table without "day" (and without "posId"). */
function dimensionConditions(scope: Omit<RollupScope, 'posId'>): Prisma.Sql[] {
  const parts: Prisma.Sql[] = [];
  if (scope.storeId !== undefined) parts.push(Prisma.sql`"storeId" = ${scope.storeId}::uuid`);
  if (scope.acquirerId !== undefined) parts.push(Prisma.sql`"acquirerId" = ${scope.acquirerId}::uuid`);
  if (scope.brand !== undefined) parts.push(Prisma.sql`"brand" = ${scope.brand}`);
  if (scope.currency !== undefined) parts.push(Prisma.sql`"currency" = ${scope.currency}`);
  return parts;
}

const dayRanges = (ranges: [Date, Date][]) =>
  ranges.length === 0 ? Prisma.sql`false` : Prisma.join(ranges.map(([first, last]) => Prisma.sql`("day" >= ${first}::date AND "day" <= ${last}::date)`), ' OR ');

/**
 * The store-level rows of the scope's period with a sign each, from the monthly rollup where the period covers
 * a month whole or mostly, from the daily one for the rest (periodSegments): summed per store with their
 * sign, they are the period's figures. `columns` are the figures to read; `only` narrows the stores.
 */
function signedStoreRows(scope: Omit<RollupScope, 'posId'>, columns: Prisma.Sql, only?: Prisma.Sql): Prisma.Sql {
  const segments = periodSegments(scope.start, scope.end);
  const where = (period: Prisma.Sql) => Prisma.join([period, ...dimensionConditions(scope), ...(only ? [only] : [])], ' AND ');
  // Without an acquirer or brand to filter on, the store's monthly totals: one row per store-month.
  const monthly = scope.acquirerId === undefined && scope.brand === undefined ? Prisma.raw('"MonthlyStoreTotals"') : Prisma.raw('"MonthlyStoreStats"');
  return Prisma.sql`
    SELECT "storeId", "currency", 1 AS "sign", ${columns} FROM ${monthly} WHERE ${where(Prisma.sql`"month" = ANY(${segments.months.map((month) => month.toISOString().slice(0, 10))}::date[])`)}
    UNION ALL
    SELECT "storeId", "currency", CASE WHEN ${dayRanges(segments.addDays)} THEN 1 ELSE -1 END, ${columns}
      FROM "DailyStoreStats" WHERE ${where(Prisma.sql`(${dayRanges(segments.addDays)} OR ${dayRanges(segments.subtractDays)})`)}`;
}

const signedSum = (column: string) => Prisma.raw(`SUM("sign" * "${column}")::bigint AS "${column}"`);

/**
 * The stores with the most authorised in the scope, per currency (amounts of different currencies do not
 * compare): at most `limit` stores for each currency, each row that store's figures in that currency.
 * Two statements: the first ranks every store on its authorised amount and count only (over 10,000 stores
 * and a year, some 120,000 monthly totals and the daily rows at the ends); the second sums the other figures of the stores ranked, by their
 * store index, so the planner knows how few they are.
 */
export async function readTopStores(scope: Omit<RollupScope, 'posId'>, limit: number): Promise<(StatsCell & { storeId: string; storeName: string })[]> {
  const ranking = Prisma.raw(`"authorizationAmount", "authorizationCount"`);
  // Ranked on float8 sums (exact for integers below 2^53, far above any store's amount in minor units): summing
  // bigints goes through numeric, several times slower over some 100,000 rows. The figures are summed exactly.
  // The ranking's estimated cost passes PostgreSQL's JIT threshold, and compiling it took longer (90 to 300 ms
  // measured over 10 M payments) than running it; SET LOCAL keeps that to this transaction's statement.
  const [, ranked] = await db().$transaction([
    db().$executeRaw`SET LOCAL jit = off`,
    db().$queryRaw<{ storeId: string; currency: string; rank: bigint }[]>`
      SELECT "storeId"::text AS "storeId", "currency", "rank" FROM (
        SELECT "storeId", "currency",
               row_number() OVER (PARTITION BY "currency" ORDER BY SUM("sign" * "authorizationAmount"::float8) DESC, SUM("sign" * "authorizationCount") DESC, "storeId") AS "rank"
          FROM (${signedStoreRows(scope, ranking)}) r
         GROUP BY "storeId", "currency"
      ) ranked
       WHERE "rank" <= ${limit}`,
  ]);
  if (ranked.length === 0) return [];
  const storeIds = [...new Set(ranked.map((row) => row.storeId))];
  const rows = await db().$queryRaw<(Omit<StatsCell, 'authorizationCount' | 'declineCount' | 'captureCount' | 'voidCount' | 'refundCount'> & Record<'authorizationCount' | 'declineCount' | 'captureCount' | 'voidCount' | 'refundCount', bigint> & { storeId: string; storeName: string })[]>`
    SELECT r."storeId"::text AS "storeId", s."name" AS "storeName", r."currency", '' AS "day", '' AS "acquirerId", '' AS "brand",
           ${signedSum('authorizationCount')}, ${signedSum('authorizationAmount')}, ${signedSum('declineCount')}, ${signedSum('declineAmount')},
           ${signedSum('captureCount')}, ${signedSum('captureAmount')}, ${signedSum('voidCount')}, ${signedSum('voidAmount')},
           ${signedSum('refundCount')}, ${signedSum('refundAmount')}
      FROM (${signedStoreRows(scope, figures, Prisma.sql`"storeId" = ANY(${storeIds}::uuid[])`)}) r
      JOIN "Store" s ON s."id" = r."storeId"
     GROUP BY r."storeId", s."name", r."currency"`;
  const byKey = new Map(rows.map((row) => [`${row.storeId}|${row.currency}`, row]));
  return ranked
    .sort((a, b) => (a.currency === b.currency ? Number(a.rank - b.rank) : a.currency < b.currency ? -1 : 1))
    .flatMap((rank) => {
      const row = byKey.get(`${rank.storeId}|${rank.currency}`);
      return row
        ? [{ ...row, authorizationCount: Number(row.authorizationCount), declineCount: Number(row.declineCount), captureCount: Number(row.captureCount), voidCount: Number(row.voidCount), refundCount: Number(row.refundCount) }]
        : [];
    });
}

export interface AcquirerRef {
  id: string;
  code: string;
  name: string;
}

/** Names and codes of the acquirers the rows mention. */
export async function readAcquirers(ids: string[]): Promise<Map<string, AcquirerRef>> {
  const rows = await db().acquirer.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, code: true, name: true } });
  return new Map(rows.map((row) => [row.id, row]));
}
