import { db, type Db, type Tx } from '@/lib/db/client';
import { Prisma } from '@/lib/db/generated/prisma/client';
import { settlementEvents } from '@/lib/payments/settlement-events';

/** The rollup's row in StatsRollupState. */
export const DAILY_STATS_ROLLUP = 'daily-stats';

/**
 * How far behind the watermark each run looks again. A transaction's timestamp is taken by the app when it
 * writes the row, but the row becomes visible only when its database transaction commits, which can be later
 * (a slow gateway call inside the transaction, a retry), and app instances' clocks differ a little. A row
 * committed up to this long after its timestamp, or stamped by a clock up to this far behind, is still
 * caught by the next run; re-counting a store-day twice costs nothing, since its rows are recomputed whole.
 */
export const ROLLUP_OVERLAP_MS = 5 * 60_000;

/** A rebuild may take a while on a big database (an incremental run is a few store-days). */
const ROLLUP_TIMEOUT_MS = 30 * 60_000;

export interface RefreshDailyStatsResult {
  /** Store-days recomputed (a rebuild counts the store-days it wrote). */
  storeDays: number;
  /** UTC days whose acquirer-level totals were recomputed. */
  days: number;
  watermark: Date;
}

/**
 * The statistics rollup the worker runs every minute: finds the store-days whose payment transactions changed
 * since the watermark (less ROLLUP_OVERLAP_MS), recomputes those store-days' DailyStoreStats and
 * DailyDeclineStats rows from the transactions (deleted and inserted in one transaction, one set-based
 * statement each), the MonthlyStoreStats and MonthlyStoreTotals rows of those store-months, then the acquirer-level totals (DailyAcquirerStats, DailyAcquirerDeclineStats) of the
 * days touched from the store-level rows, and moves the watermark to `now`.
 *
 * A day is the UTC day of the transaction's completion (its creation while it has none), and what counts as
 * an authorisation, capture, refund, void or decline is the one definition the store's settlement history
 * also reads (lib/payments/settlement-events.ts), including the capture made with an auto-captured authorisation.
 *
 * Idempotent: a second run recomputes the same rows. Runs never overlap: the transaction starts by taking a
 * PostgreSQL advisory lock, so a second worker (or a seed's rebuild) waits for the first to commit and then
 * sees its result. `rebuildFrom` recomputes every day from that date on, whatever the watermark: for seeded
 * history (written with past timestamps) and for repairs. Without a watermark yet, the first run rebuilds
 * everything.
 */
export async function refreshDailyStats(options: { now?: Date; rebuildFrom?: Date; prisma?: Db } = {}): Promise<RefreshDailyStatsResult> {
  const prisma = options.prisma ?? db();
  const now = options.now ?? new Date();
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('serverpos:stats-rollup', 0))`;
      const state = await tx.statsRollupState.findUnique({ where: { name: DAILY_STATS_ROLLUP }, select: { watermark: true } });
      const rebuildFrom = options.rebuildFrom ?? (state ? null : new Date(0));
      const result = rebuildFrom ? await rebuildSince(tx, startOfUtcDay(rebuildFrom)) : await refreshTouched(tx, new Date(state!.watermark.getTime() - ROLLUP_OVERLAP_MS));
      // Never moves back: a run with an earlier clock (or a past `now`) must not make the next run skip rows.
      const watermark = state && state.watermark > now ? state.watermark : now;
      await tx.statsRollupState.upsert({ where: { name: DAILY_STATS_ROLLUP }, create: { name: DAILY_STATS_ROLLUP, watermark }, update: { watermark } });
      return { ...result, watermark };
    },
    { timeout: ROLLUP_TIMEOUT_MS, maxWait: 60_000 },
  );
}

function startOfUtcDay(value: Date): Date {
  return new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate()));
}

/** Recomputes the store-days that transactions created or completed since `since` fall on. */
async function refreshTouched(tx: Tx, since: Date): Promise<Omit<RefreshDailyStatsResult, 'watermark'>> {
  // The day a transaction counts on, and the day of its creation too: a transaction that completes on a later
  // day moves from one day to the other.
  const touched = await tx.$queryRaw<{ storeId: string; day: string }[]>`
    SELECT DISTINCT t."storeId"::text AS "storeId", to_char(d."day", 'YYYY-MM-DD') AS "day"
      FROM "PaymentTransaction" t
     CROSS JOIN LATERAL (VALUES (COALESCE(t."completedAt", t."createdAt")::date), (t."createdAt"::date)) AS d("day")
     WHERE t."completedAt" >= ${since} OR t."createdAt" >= ${since}`;
  if (touched.length === 0) return { storeDays: 0, days: 0 };
  const storeIds = touched.map((row) => row.storeId);
  const days = touched.map((row) => row.day);
  const firstDay = new Date(`${[...days].sort()[0]!}T00:00:00Z`);
  const storeDays = Prisma.sql`(SELECT "storeId", "day" FROM unnest(${storeIds}::uuid[], ${days}::date[]) AS s("storeId", "day"))`;
  await tx.$executeRaw`DELETE FROM "DailyStoreStats" r USING ${storeDays} s WHERE r."storeId" = s."storeId" AND r."day" = s."day"`;
  await tx.$executeRaw`DELETE FROM "DailyDeclineStats" r USING ${storeDays} s WHERE r."storeId" = s."storeId" AND r."day" = s."day"`;
  // The OR on both timestamps lets PostgreSQL use their indexes; the IN then keeps exactly the touched store-days.
  const scope = Prisma.sql`(t."completedAt" >= ${firstDay} OR t."createdAt" >= ${firstDay})
    AND (t."storeId", COALESCE(t."completedAt", t."createdAt")::date) IN ${storeDays}`;
  await insertStoreRows(tx, scope);
  await recomputeStoreMonths(tx, { storeMonths: Prisma.sql`(SELECT DISTINCT "storeId", date_trunc('month', "day")::date AS "month" FROM ${storeDays} d)` });
  const distinctDays = [...new Set(days)];
  await recomputeAcquirerDays(tx, Prisma.sql`"day" = ANY(${distinctDays}::date[])`);
  return { storeDays: touched.length, days: distinctDays.length };
}

/** Recomputes every store-day from `from` on. */
async function rebuildSince(tx: Tx, from: Date): Promise<Omit<RefreshDailyStatsResult, 'watermark'>> {
  await tx.$executeRaw`DELETE FROM "DailyStoreStats" WHERE "day" >= ${from}::date`;
  await tx.$executeRaw`DELETE FROM "DailyDeclineStats" WHERE "day" >= ${from}::date`;
  await insertStoreRows(tx, Prisma.sql`(t."completedAt" >= ${from} OR t."createdAt" >= ${from}) AND COALESCE(t."completedAt", t."createdAt") >= ${from}`);
  await recomputeStoreMonths(tx, { fromMonth: from });
  await recomputeAcquirerDays(tx, Prisma.sql`"day" >= ${from}::date`);
  const [counts] = await tx.$queryRaw<{ storeDays: bigint; days: bigint }[]>`
    SELECT COUNT(DISTINCT ("storeId", "day")) AS "storeDays", COUNT(DISTINCT "day") AS "days" FROM "DailyStoreStats" WHERE "day" >= ${from}::date`;
  return { storeDays: Number(counts?.storeDays ?? 0), days: Number(counts?.days ?? 0) };
}

// Column fragments from constants of this file only, never from input.
const figure = (kind: string, column: string) =>
  Prisma.raw(`COUNT(*) FILTER (WHERE "kind" = '${kind}')::int AS "${column}Count", COALESCE(SUM("amount") FILTER (WHERE "kind" = '${kind}'), 0)::bigint AS "${column}Amount"`);

async function insertStoreRows(tx: Tx, scope: Prisma.Sql): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "DailyStoreStats" ("day", "storeId", "posId", "acquirerId", "brand", "currency",
                                   "authorizationCount", "authorizationAmount", "declineCount", "declineAmount", "captureCount", "captureAmount",
                                   "voidCount", "voidAmount", "refundCount", "refundAmount")
    SELECT "day", "storeId", "posId", "acquirerId", "brand", "currency",
           ${figure('authorization', 'authorization')}, ${figure('decline', 'decline')}, ${figure('capture', 'capture')},
           ${figure('void', 'void')}, ${figure('refund', 'refund')}
      FROM (${settlementEvents(scope)}) e
     WHERE "kind" IS NOT NULL AND "amount" > 0
     GROUP BY "day", "storeId", "posId", "acquirerId", "brand", "currency"`;
  await tx.$executeRaw`
    INSERT INTO "DailyDeclineStats" ("day", "storeId", "posId", "acquirerId", "brand", "declineCode", "count")
    SELECT "day", "storeId", "posId", "acquirerId", "brand", "declineCode", COUNT(*)::int
      FROM (${settlementEvents(scope)}) e
     WHERE "kind" = 'decline' AND "amount" > 0
     GROUP BY "day", "storeId", "posId", "acquirerId", "brand", "declineCode"`;
}

/**
 * MonthlyStoreStats rows summed again from the store-level daily rows, and the MonthlyStoreTotals rows from
 * those, whole months whichever of their days changed: of the store-months in `storeMonths` (a subquery of "storeId" and "month", the month's first day),
 * or of every store from the month `fromMonth` falls in on (a rebuild).
 */
async function recomputeStoreMonths(tx: Tx, which: { storeMonths: Prisma.Sql } | { fromMonth: Date }): Promise<void> {
  const sums = Prisma.sql`d."storeId", d."acquirerId", d."brand", d."currency",
           SUM(d."authorizationCount")::int, SUM(d."authorizationAmount")::bigint, SUM(d."declineCount")::int, SUM(d."declineAmount")::bigint,
           SUM(d."captureCount")::int, SUM(d."captureAmount")::bigint, SUM(d."voidCount")::int, SUM(d."voidAmount")::bigint,
           SUM(d."refundCount")::int, SUM(d."refundAmount")::bigint`;
  const columns = Prisma.sql`("month", "storeId", "acquirerId", "brand", "currency",
                                     "authorizationCount", "authorizationAmount", "declineCount", "declineAmount", "captureCount", "captureAmount",
                                     "voidCount", "voidAmount", "refundCount", "refundAmount")`;
  // The store's totals over every acquirer and brand (MonthlyStoreTotals), from the rows just written.
  const totals = Prisma.sql`m."storeId", m."currency",
           SUM(m."authorizationCount")::int, SUM(m."authorizationAmount")::bigint, SUM(m."declineCount")::int, SUM(m."declineAmount")::bigint,
           SUM(m."captureCount")::int, SUM(m."captureAmount")::bigint, SUM(m."voidCount")::int, SUM(m."voidAmount")::bigint,
           SUM(m."refundCount")::int, SUM(m."refundAmount")::bigint`;
  const totalsColumns = Prisma.sql`("month", "storeId", "currency",
                                     "authorizationCount", "authorizationAmount", "declineCount", "declineAmount", "captureCount", "captureAmount",
                                     "voidCount", "voidAmount", "refundCount", "refundAmount")`;
  if ('fromMonth' in which) {
    // Also the months whose store-days are all gone now.
    await tx.$executeRaw`DELETE FROM "MonthlyStoreStats" WHERE "month" >= date_trunc('month', ${which.fromMonth}::date)`;
    await tx.$executeRaw`
      INSERT INTO "MonthlyStoreStats" ${columns}
      SELECT date_trunc('month', d."day")::date, ${sums}
        FROM "DailyStoreStats" d
       WHERE d."day" >= date_trunc('month', ${which.fromMonth}::date)
       GROUP BY 1, d."storeId", d."acquirerId", d."brand", d."currency"`;
    await tx.$executeRaw`DELETE FROM "MonthlyStoreTotals" WHERE "month" >= date_trunc('month', ${which.fromMonth}::date)`;
    await tx.$executeRaw`
      INSERT INTO "MonthlyStoreTotals" ${totalsColumns}
      SELECT m."month", ${totals} FROM "MonthlyStoreStats" m WHERE m."month" >= date_trunc('month', ${which.fromMonth}::date)
       GROUP BY m."month", m."storeId", m."currency"`;
    return;
  }
  await tx.$executeRaw`DELETE FROM "MonthlyStoreStats" m USING ${which.storeMonths} s WHERE m."storeId" = s."storeId" AND m."month" = s."month"`;
  await tx.$executeRaw`
    INSERT INTO "MonthlyStoreStats" ${columns}
    SELECT s."month", ${sums}
      FROM "DailyStoreStats" d
      JOIN ${which.storeMonths} s ON d."storeId" = s."storeId" AND d."day" >= s."month" AND d."day" < (s."month" + interval '1 month')
     GROUP BY s."month", d."storeId", d."acquirerId", d."brand", d."currency"`;
  await tx.$executeRaw`DELETE FROM "MonthlyStoreTotals" m USING ${which.storeMonths} s WHERE m."storeId" = s."storeId" AND m."month" = s."month"`;
  await tx.$executeRaw`
    INSERT INTO "MonthlyStoreTotals" ${totalsColumns}
    SELECT m."month", ${totals} FROM "MonthlyStoreStats" m JOIN ${which.storeMonths} s ON m."storeId" = s."storeId" AND m."month" = s."month"
     GROUP BY m."month", m."storeId", m."currency"`;
}

/** The acquirer-level rows of the days in `days` (a condition on "day"), from the store-level rows. */
async function recomputeAcquirerDays(tx: Tx, days: Prisma.Sql): Promise<void> {
  await tx.$executeRaw`DELETE FROM "DailyAcquirerStats" WHERE ${days}`;
  await tx.$executeRaw`DELETE FROM "DailyAcquirerDeclineStats" WHERE ${days}`;
  await tx.$executeRaw`
    INSERT INTO "DailyAcquirerStats" ("day", "acquirerId", "brand", "currency", "storeCount",
                                      "authorizationCount", "authorizationAmount", "declineCount", "declineAmount", "captureCount", "captureAmount",
                                      "voidCount", "voidAmount", "refundCount", "refundAmount")
    SELECT "day", "acquirerId", "brand", "currency", COUNT(DISTINCT "storeId")::int,
           SUM("authorizationCount")::int, SUM("authorizationAmount")::bigint, SUM("declineCount")::int, SUM("declineAmount")::bigint,
           SUM("captureCount")::int, SUM("captureAmount")::bigint, SUM("voidCount")::int, SUM("voidAmount")::bigint,
           SUM("refundCount")::int, SUM("refundAmount")::bigint
      FROM "DailyStoreStats"
     WHERE ${days}
     GROUP BY "day", "acquirerId", "brand", "currency"`;
  await tx.$executeRaw`
    INSERT INTO "DailyAcquirerDeclineStats" ("day", "acquirerId", "brand", "declineCode", "count")
    SELECT "day", "acquirerId", "brand", "declineCode", SUM("count")::int
      FROM "DailyDeclineStats"
     WHERE ${days}
     GROUP BY "day", "acquirerId", "brand", "declineCode"`;
}
