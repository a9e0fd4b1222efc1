import type { Prisma } from '@/lib/db/client';
import { utcDaySchema } from '@/lib/validation';

const DAY_MS = 86_400_000;

/** Where the previous page ended: the last event's time (ms) and id, newest-first order. */
export const auditCursorPattern = /^(\d{1,15})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A calendar day (UTC, as the consoles show times) typed into a date field. */
export const auditDaySchema = utcDaySchema('the date');

/**
 * The part of an audit-log query every console shares: the UTC days from `from` to `to` (both included) and,
 * with a cursor, only the events after the previous page's last one in (createdAt, id) descending order, so
 * events written meanwhile neither shift nor repeat rows. Order by createdAt and id descending with it.
 */
export function auditPageWhere(filter: { from?: string; to?: string; cursor?: string }): Prisma.AuditEventWhereInput {
  const createdAt: Prisma.DateTimeFilter = {
    ...(filter.from ? { gte: new Date(`${filter.from}T00:00:00Z`) } : {}),
    ...(filter.to ? { lt: new Date(Date.parse(`${filter.to}T00:00:00Z`) + DAY_MS) } : {}),
  };
  const cursor = filter.cursor ? auditCursorPattern.exec(filter.cursor) : null;
  return {
    AND: [
      Object.keys(createdAt).length > 0 ? { createdAt } : {},
      cursor ? { OR: [{ createdAt: { lt: new Date(Number(cursor[1])) } }, { createdAt: new Date(Number(cursor[1])), id: { lt: cursor[2]! } }] } : {},
    ],
  };
}

/** A page of `pageSize` out of `rows` (read with `take: pageSize + 1`), and the cursor of the next page if there is one. */
export function auditPage<Row extends { createdAt: Date; id: string }>(rows: Row[], pageSize: number): { page: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > pageSize && last ? `${last.createdAt.getTime()}_${last.id}` : null };
}
