import { z } from 'zod';
import { auditActionLabels, visibleAuditDetails } from '@/lib/audit/audit-actions';
import { auditCursorPattern, auditDaySchema, auditPage, auditPageWhere } from '@/lib/audit/audit-page';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db, type Prisma } from '@/lib/db/client';
import type { ActorType } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';
import { describeUserAgent } from '@/lib/http/describe-user-agent';
import { storesOf } from '@/lib/stores/store-scope';
import { isUuid } from '@/lib/validation';

const actionPrefix = z.string().trim().max(80).regex(/^[a-z0-9_.]*$/).optional().catch(undefined);

function actionWhere(prefix: string | undefined): Prisma.AuditEventWhereInput {
  return prefix ? { action: { startsWith: prefix } } : {};
}

// ───────────────────────────── A store's own audit log ─────────────────────────────

export const STORE_AUDIT_PAGE_SIZE = 50;

const day = auditDaySchema.optional().catch(undefined);

export const storeAuditFilterSchema = z.object({
  action: actionPrefix,
  from: day,
  to: day,
  cursor: z.string().max(80).regex(auditCursorPattern).optional().catch(undefined),
});
export type StoreAuditFilter = z.infer<typeof storeAuditFilterSchema>;

export interface StoreAuditEvent {
  id: string;
  createdAt: Date;
  action: string;
  /** Human wording of a known action; null for one this version does not know. */
  actionLabel: string | null;
  actor: { type: ActorType; label: string; detail: string | null };
  target: { type: string; id: string | null; label: string | null } | null;
  origin: { ipAddress: string | null; userAgent: string | null; userAgentSummary: string | null };
  /** Only whitelisted `data` fields (lib/audit/audit-actions.ts). */
  details: { label: string; value: string }[];
}

const actorLabels: Record<ActorType, string> = {
  STORE_USER: 'Store user',
  ACQUIRER: 'Acquirer',
  OPERATOR: 'ServerPOS operator',
  SYSTEM: 'System',
  POS_API_KEY: 'POS API key',
  ANONYMOUS: 'Anonymous visitor',
};

/**
 * One page of a store's own audit log, newest first, for the store's console. Only events of this store
 * are read; names behind ids are looked up within this store too (store users, POS API keys,
 * certificates), so nothing of another tenant can show. An actor who may not see this store gets
 * not_found. Filters: action prefix and a range of UTC days; `cursor` continues after a previous page.
 */
export async function listStoreAuditEvents(options: { storeId: string; actor: Actor; filter?: unknown; pageSize?: number }): Promise<{
  events: StoreAuditEvent[];
  nextCursor: string | null;
  filter: StoreAuditFilter;
}> {
  const scope = storesOf(options.actor);
  if (!scope || !isUuid(options.storeId)) throw new AppError('not_found', 'Store not found.');
  const store = await db().store.findFirst({ where: { id: options.storeId, ...scope }, select: { id: true } });
  if (!store) throw new AppError('not_found', 'Store not found.');

  const filter = storeAuditFilterSchema.parse(options.filter ?? {});
  const pageSize = Math.min(Math.max(options.pageSize ?? STORE_AUDIT_PAGE_SIZE, 1), 200);

  const rows = await db().auditEvent.findMany({
    where: { storeId: store.id, ...actionWhere(filter.action), ...auditPageWhere(filter) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: pageSize + 1,
    select: { id: true, createdAt: true, actorType: true, actorId: true, action: true, targetType: true, targetId: true, data: true, ipAddress: true, userAgent: true },
  });
  const { page, nextCursor } = auditPage(rows, pageSize);

  const names = await lookUpNames(store.id, page);
  const events = page.map((row): StoreAuditEvent => {
    const actorDetail =
      row.actorType === 'STORE_USER' ? names.users.get(row.actorId ?? '') ?? null
      : row.actorType === 'ACQUIRER' ? names.acquirers.get(row.actorId ?? '') ?? null
      : row.actorType === 'POS_API_KEY' ? names.apiKeys.get(row.actorId ?? '') ?? null
      : null;
    return {
      id: row.id,
      createdAt: row.createdAt,
      action: row.action,
      actionLabel: auditActionLabels[row.action] ?? null,
      actor: { type: row.actorType, label: actorLabels[row.actorType], detail: actorDetail },
      target: row.targetType ? { type: row.targetType, id: row.targetId, label: targetLabel(names, row.targetType, row.targetId) } : null,
      origin: { ipAddress: row.ipAddress, userAgent: row.userAgent, userAgentSummary: row.userAgent ? describeUserAgent(row.userAgent) : null },
      details: visibleAuditDetails(row.data),
    };
  });
  return { events, nextCursor, filter };
}

interface Names {
  users: Map<string, string>;
  acquirers: Map<string, string>;
  apiKeys: Map<string, string>;
  certificates: Map<string, string>;
}

function targetLabel(names: Names, type: string, id: string | null): string | null {
  if (!id) return null;
  if (type === 'StoreUser') return names.users.get(id) ?? null;
  if (type === 'Acquirer') return names.acquirers.get(id) ?? null;
  if (type === 'Certificate') return names.certificates.get(id) ?? null;
  return null;
}

/** Names for the ids on one page, each looked up once; store-owned records only within this store. */
async function lookUpNames(
  storeId: string,
  rows: { actorType: ActorType; actorId: string | null; targetType: string | null; targetId: string | null }[],
): Promise<Names> {
  const ids = (wanted: (row: (typeof rows)[number]) => string | null | undefined) => [
    ...new Set(rows.map(wanted).filter((id): id is string => typeof id === 'string' && isUuid(id))),
  ];
  const userIds = ids((row) => (row.actorType === 'STORE_USER' ? row.actorId : row.targetType === 'StoreUser' ? row.targetId : null));
  const acquirerIds = ids((row) => (row.actorType === 'ACQUIRER' ? row.actorId : row.targetType === 'Acquirer' ? row.targetId : null));
  const apiKeyIds = ids((row) => (row.actorType === 'POS_API_KEY' ? row.actorId : null));
  const certificateIds = ids((row) => (row.targetType === 'Certificate' ? row.targetId : null));
  const [users, acquirers, apiKeys, certificates] = await Promise.all([
    userIds.length ? db().storeUser.findMany({ where: { storeId, id: { in: userIds } }, select: { id: true, name: true, email: true } }) : [],
    // Acquirers are shared by every store; their codes are public.
    acquirerIds.length ? db().acquirer.findMany({ where: { id: { in: acquirerIds } }, select: { id: true, code: true } }) : [],
    apiKeyIds.length ? db().posApiKey.findMany({ where: { storeId, id: { in: apiKeyIds } }, select: { id: true, label: true, prefix: true } }) : [],
    certificateIds.length ? db().certificate.findMany({ where: { storeId, id: { in: certificateIds } }, select: { id: true, serialNumber: true } }) : [],
  ]);
  return {
    users: new Map(users.map((user) => [user.id, `${user.name} <${user.email}>`])),
    acquirers: new Map(acquirers.map((acquirer) => [acquirer.id, acquirer.code])),
    apiKeys: new Map(apiKeys.map((key) => [key.id, `${key.label} (${key.prefix}…)`])),
    certificates: new Map(certificates.map((certificate) => [certificate.id, `serial ${certificate.serialNumber}`])),
  };
}
