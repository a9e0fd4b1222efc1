import { db } from '@/lib/db/client';
import { Prisma } from '@/lib/db/generated/prisma/client';
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

/**
 * The stores with the most authorised in the scope, per currency (amounts of different currencies do not
 * compare): at most `limit` stores for each currency, each row that store's figures in that currency.
 */
export async function readTopStores(scope: RollupScope, limit: number): Promise<(StatsCell & { storeId: string; storeName: string })[]> {
  const rows = await db().$queryRaw<(Omit<StatsCell, 'authorizationCount' | 'declineCount' | 'captureCount' | 'voidCount' | 'refundCount'> & Record<'authorizationCount' | 'declineCount' | 'captureCount' | 'voidCount' | 'refundCount', bigint> & { storeId: string; storeName: string })[]>`
    WITH "perStore" AS (
      SELECT "storeId", "currency",
             SUM("authorizationCount")::bigint AS "authorizationCount", SUM("authorizationAmount")::bigint AS "authorizationAmount",
             SUM("declineCount")::bigint AS "declineCount", SUM("declineAmount")::bigint AS "declineAmount",
             SUM("captureCount")::bigint AS "captureCount", SUM("captureAmount")::bigint AS "captureAmount",
             SUM("voidCount")::bigint AS "voidCount", SUM("voidAmount")::bigint AS "voidAmount",
             SUM("refundCount")::bigint AS "refundCount", SUM("refundAmount")::bigint AS "refundAmount"
        FROM "DailyStoreStats" WHERE ${conditions(scope, { currency: true })}
       GROUP BY "storeId", "currency"
    ), "ranked" AS (
      SELECT *, row_number() OVER (PARTITION BY "currency" ORDER BY "authorizationAmount" DESC, "authorizationCount" DESC, "storeId") AS "rank" FROM "perStore"
    )
    SELECT r."storeId"::text AS "storeId", s."name" AS "storeName", r."currency", '' AS "day", '' AS "acquirerId", '' AS "brand",
           r."authorizationCount", r."authorizationAmount", r."declineCount", r."declineAmount", r."captureCount", r."captureAmount",
           r."voidCount", r."voidAmount", r."refundCount", r."refundAmount"
      FROM "ranked" r JOIN "Store" s ON s."id" = r."storeId"
     WHERE r."rank" <= ${limit}
     ORDER BY r."currency", r."rank"`;
  return rows.map((row) => ({
    ...row,
    authorizationCount: Number(row.authorizationCount),
    declineCount: Number(row.declineCount),
    captureCount: Number(row.captureCount),
    voidCount: Number(row.voidCount),
    refundCount: Number(row.refundCount),
  }));
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
