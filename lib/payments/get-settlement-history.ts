import { z } from 'zod';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { Prisma } from '@/lib/db/generated/prisma/client';
import { settlementEvents, type SettlementEventKind } from '@/lib/payments/settlement-events';
import { isUuid, parseInput, utcDaySchema } from '@/lib/validation';

const DAY_MS = 86_400_000;
/** Days shown when no range is asked for: today and the 29 before it. */
export const DEFAULT_HISTORY_DAYS = 30;
export const MAX_HISTORY_DAYS = 366;

export interface SettlementFigures {
  count: number;
  /** Minor units of the row's currency. */
  amount: bigint;
}

/**
 * One UTC day of one acquirer in one currency. Amounts of different currencies are never added up, so an
 * acquirer that took JPY and USD on a day has two rows for it: day × acquirer × currency, the five figures
 * the daily rollups (DailyStoreStats) also keep.
 */
export interface SettlementDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  acquirer: { id: string; code: string; name: string };
  currency: string;
  /** Approved authorisations, by the day the gateway answered (or the inquiry found them). */
  authorizations: SettlementFigures;
  /** Captures the gateway confirmed: at once, in a daily batch, or with the authorisation (auto-capture). */
  captures: SettlementFigures;
  refunds: SettlementFigures;
  /** Authorisations cancelled before capture; the amount is what was released. */
  voids: SettlementFigures;
  /** Authorisations the issuer declined; the amount is what was asked for. */
  declines: SettlementFigures;
}

export interface SettlementHistory {
  from: string;
  to: string;
  days: SettlementDay[];
}

type Kind = 'authorizations' | 'captures' | 'refunds' | 'voids' | 'declines';
const kinds: Record<SettlementEventKind, Kind> = { authorization: 'authorizations', capture: 'captures', refund: 'refunds', void: 'voids', decline: 'declines' };

export const settlementHistoryQuerySchema = z
  .object({
    from: z.preprocess((value) => (value === '' ? undefined : value), utcDaySchema('from').optional()),
    to: z.preprocess((value) => (value === '' ? undefined : value), utcDaySchema('to').optional()),
  })
  .superRefine((range, context) => {
    if (range.from && range.to && range.from > range.to) context.addIssue({ code: 'custom', path: ['to'], message: 'The end date is before the start date.' });
    if (range.from && range.to && Date.parse(range.to) - Date.parse(range.from) >= MAX_HISTORY_DAYS * DAY_MS) context.addIssue({ code: 'custom', path: ['from'], message: `Ask for at most ${MAX_HISTORY_DAYS} days at a time.` });
  });

/**
 * The store's settlement history: per UTC day, acquirer and currency, how many authorisations, captures,
 * refunds, voids and declines there were and for how much, newest day first. Computed from the payment
 * transactions as they stand (one query grouped by day over settlementEvents, the definition the statistics
 * rollup shares), so it always agrees with the payments list.
 */
export async function getSettlementHistory(options: { storeId: string; actor: Actor; query?: Record<string, unknown>; now?: Date }): Promise<SettlementHistory> {
  const range = parseInput(settlementHistoryQuerySchema, options.query ?? {});
  const today = (options.now ?? new Date()).toISOString().slice(0, 10);
  const to = range.to ?? (range.from ? new Date(Math.min(Date.parse(range.from) + (DEFAULT_HISTORY_DAYS - 1) * DAY_MS, Date.parse(today))).toISOString().slice(0, 10) : today);
  const from = range.from ?? new Date(Date.parse(to) - (DEFAULT_HISTORY_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  if (!isUuid(options.storeId)) return { from, to, days: [] };
  const start = new Date(`${from}T00:00:00Z`);
  const end = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS);

  const inRange = Prisma.sql`t."storeId" = ${options.storeId}::uuid
    AND COALESCE(t."completedAt", t."createdAt") >= ${start} AND COALESCE(t."completedAt", t."createdAt") < ${end}`;
  const events = await db().$queryRaw<{ day: string; acquirerId: string; currency: string; kind: SettlementEventKind; count: number; amount: bigint }[]>`
    SELECT to_char("day", 'YYYY-MM-DD') AS "day", "acquirerId"::text AS "acquirerId", "currency", "kind",
           COUNT(*)::int AS "count", SUM("amount")::bigint AS "amount"
      FROM (${settlementEvents(inRange)}) e
     WHERE "kind" IS NOT NULL AND "amount" > 0
     GROUP BY 1, 2, 3, 4
     ORDER BY 1 DESC, 2, 3`;
  const rows = events.map((row) => ({ ...row, kind: kinds[row.kind] }));

  const acquirerIds = [...new Set(rows.map((row) => row.acquirerId))];
  const acquirers = new Map(
    (await db().acquirer.findMany({ where: { id: { in: acquirerIds } }, select: { id: true, code: true, name: true } })).map((acquirer) => [acquirer.id, acquirer]),
  );
  const days = new Map<string, SettlementDay>();
  for (const row of rows) {
    const key = `${row.day}|${row.acquirerId}|${row.currency}`;
    let entry = days.get(key);
    if (!entry) {
      const zero = (): SettlementFigures => ({ count: 0, amount: 0n });
      const acquirer = acquirers.get(row.acquirerId) ?? { id: row.acquirerId, code: '?', name: 'Unknown acquirer' };
      entry = { day: row.day, acquirer, currency: row.currency, authorizations: zero(), captures: zero(), refunds: zero(), voids: zero(), declines: zero() };
      days.set(key, entry);
    }
    entry[row.kind] = { count: row.count, amount: BigInt(row.amount) };
  }
  const sorted = [...days.values()].sort((a, b) => (a.day === b.day ? a.acquirer.name.localeCompare(b.acquirer.name) || a.currency.localeCompare(b.currency) : a.day < b.day ? 1 : -1));
  return { from, to, days: sorted };
}
