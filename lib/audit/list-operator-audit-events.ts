import { z } from 'zod';
import { auditActionLabels } from '@/lib/audit/audit-actions';
import { auditCursorPattern, auditDaySchema, auditPage, auditPageWhere } from '@/lib/audit/audit-page';
import { db } from '@/lib/db/client';
import type { ActorType } from '@/lib/db/generated/prisma/enums';
import { isUuid } from '@/lib/validation';

export const OPERATOR_AUDIT_PAGE_SIZE = 100;

export const auditActorTypes = ['ANONYMOUS', 'STORE_USER', 'OPERATOR', 'ACQUIRER', 'POS_API_KEY', 'SYSTEM'] as const satisfies readonly ActorType[];

/** Each filter on its own, so one bad value is dropped (and named) while the others still apply. */
const filterFields = {
  action: { schema: z.string().trim().max(80).regex(/^[a-z0-9_.]+$/), problem: 'The action filter takes lower-case letters, digits, dots and underscores, e.g. “store.”.' },
  storeId: { schema: z.string().trim().pipe(z.uuid()), problem: 'The store id is not a store id (a UUID).' },
  actorType: { schema: z.enum(auditActorTypes), problem: 'The actor type is not one of the list.' },
  actorId: { schema: z.string().trim().max(64).regex(/^[A-Za-z0-9._:-]+$/), problem: 'The actor id is not an id (letters, digits, dots, hyphens; at most 64).' },
  from: { schema: auditDaySchema, problem: 'The “from” date is not a date (YYYY-MM-DD).' },
  to: { schema: auditDaySchema, problem: 'The “to” date is not a date (YYYY-MM-DD).' },
  cursor: { schema: z.string().max(80).regex(auditCursorPattern), problem: 'The page link is not valid; showing the newest events.' },
} as const;

type FilterName = keyof typeof filterFields;
export type OperatorAuditFilter = { action?: string; storeId?: string; actorType?: ActorType; actorId?: string; from?: string; to?: string; cursor?: string };

/**
 * Reads the audit log's query string. Empty fields are no filter; a field that cannot be used is left out
 * with a message saying so, never an error: a mistyped filter shows more events, not a failure.
 */
export function parseOperatorAuditFilter(raw: unknown): { filter: OperatorAuditFilter; ignored: string[] } {
  const source = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const filter: Record<string, string> = {};
  const ignored: string[] = [];
  for (const name of Object.keys(filterFields) as FilterName[]) {
    const value = Array.isArray(source[name]) ? source[name][0] : source[name];
    if (typeof value !== 'string' || value.trim() === '') continue;
    const parsed = filterFields[name].schema.safeParse(value);
    if (parsed.success) filter[name] = parsed.data;
    else ignored.push(filterFields[name].problem);
  }
  if (filter.from && filter.to && filter.from > filter.to) {
    ignored.push('The “from” date is after the “to” date; both dates are left out.');
    delete filter.from;
    delete filter.to;
  }
  return { filter: filter as OperatorAuditFilter, ignored };
}

export interface OperatorAuditEvent {
  id: string;
  createdAt: Date;
  action: string;
  actionLabel: string | null;
  actorType: ActorType;
  actorId: string | null;
  /** The actor's name where ServerPOS knows it (operator, store user, acquirer code). */
  actorName: string | null;
  store: { id: string; name: string } | null;
  targetType: string | null;
  targetId: string | null;
  ipAddress: string | null;
}

/**
 * One page of the whole audit log for the operator, newest first, filtered by action prefix, store, actor
 * type and id, and a range of UTC days; `cursor` continues after a previous page by keyset on
 * (createdAt, id), so events written meanwhile neither shift nor repeat rows. Audit data itself is not
 * returned: it is never secret, but nothing on this page needs it.
 */
export async function listOperatorAuditEvents(options: { filter?: unknown; pageSize?: number } = {}): Promise<{
  events: OperatorAuditEvent[];
  nextCursor: string | null;
  filter: OperatorAuditFilter;
  ignored: string[];
}> {
  const { filter, ignored } = parseOperatorAuditFilter(options.filter ?? {});
  const pageSize = Math.min(Math.max(options.pageSize ?? OPERATOR_AUDIT_PAGE_SIZE, 1), 200);
  const rows = await db().auditEvent.findMany({
    where: {
      AND: [
        filter.action ? { action: { startsWith: filter.action } } : {},
        filter.storeId ? { storeId: filter.storeId } : {},
        filter.actorType ? { actorType: filter.actorType } : {},
        filter.actorId ? { actorId: filter.actorId } : {},
        auditPageWhere(filter),
      ],
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: pageSize + 1,
    select: { id: true, createdAt: true, actorType: true, actorId: true, action: true, targetType: true, targetId: true, ipAddress: true, store: { select: { id: true, name: true } } },
  });
  const { page, nextCursor } = auditPage(rows, pageSize);
  const names = await actorNames(page);
  return {
    events: page.map((row) => ({
      id: row.id,
      createdAt: row.createdAt,
      action: row.action,
      actionLabel: auditActionLabels[row.action] ?? null,
      actorType: row.actorType,
      actorId: row.actorId,
      actorName: row.actorId ? (names.get(`${row.actorType}:${row.actorId}`) ?? null) : null,
      store: row.store,
      targetType: row.targetType,
      targetId: row.targetId,
      ipAddress: row.ipAddress,
    })),
    nextCursor,
    filter,
    ignored,
  };
}

/** Names of the operators, store users and acquirers acting on one page, each looked up once. */
async function actorNames(rows: { actorType: ActorType; actorId: string | null }[]): Promise<Map<string, string>> {
  const idsOf = (type: ActorType) => [...new Set(rows.filter((row) => row.actorType === type && row.actorId && isUuid(row.actorId)).map((row) => row.actorId!))];
  const [operators, users, acquirers] = await Promise.all([
    idsOf('OPERATOR').length ? db().operatorUser.findMany({ where: { id: { in: idsOf('OPERATOR') } }, select: { id: true, name: true } }) : [],
    idsOf('STORE_USER').length ? db().storeUser.findMany({ where: { id: { in: idsOf('STORE_USER') } }, select: { id: true, email: true } }) : [],
    idsOf('ACQUIRER').length ? db().acquirer.findMany({ where: { id: { in: idsOf('ACQUIRER') } }, select: { id: true, code: true } }) : [],
  ]);
  return new Map([
    ...operators.map((operator) => [`OPERATOR:${operator.id}`, operator.name] as const),
    ...users.map((user) => [`STORE_USER:${user.id}`, user.email] as const),
    ...acquirers.map((acquirer) => [`ACQUIRER:${acquirer.id}`, acquirer.code] as const),
  ]);
}
