import { auditActionLabels } from '@/lib/audit/audit-actions';
import { db } from '@/lib/db/client';
import type { SuspensionSource } from '@/lib/db/generated/prisma/enums';
import { isUuid } from '@/lib/validation';

const RECENT_AUDIT_EVENTS = 20;

/** Who holds a store's suspension, for the operator (who sees every party by name). */
export interface OperatorSuspensionView {
  source: SuspensionSource;
  /** "the store", the acquirer's name, or "the operator". */
  byLabel: string;
  /** The person or system that suspended it, from the audit event, when known. */
  byWhom: string | null;
  reason: string;
  since: Date | null;
  /** The operator lifts any suspension but the store's own (a leaked password is the store's to clear). */
  operatorMayResume: boolean;
}

/**
 * A store as the operator sees it: its information and status (with who suspended it, why and since when),
 * contracts, POSes with the acquirers they use, current certificates, and its latest audit events. Null
 * for an id that is not a store's (malformed ids included), so the page can answer "not found".
 */
export async function getStoreDetail(storeId: string) {
  if (!isUuid(storeId)) return null;
  const store = await db().store.findUnique({
    where: { id: storeId },
    select: {
      id: true,
      name: true,
      contactEmail: true,
      phone: true,
      postalAddress: true,
      websiteUrl: true,
      status: true,
      storeInfoVersion: true,
      suspendedAt: true,
      suspendedReason: true,
      suspendedBy: true,
      suspendedByAcquirerId: true,
      withdrawnAt: true,
      createdAt: true,
      users: { orderBy: { createdAt: 'asc' }, select: { id: true, name: true, email: true, role: true, emailVerifiedAt: true, lastLoginAt: true } },
    },
  });
  if (!store) return null;

  const [contracts, poses, certificates, auditRows, suspension] = await Promise.all([
    db().acquirerContract.findMany({
      where: { storeId },
      orderBy: { appliedAt: 'asc' },
      select: {
        id: true,
        merchantNumber: true,
        status: true,
        rejectionReason: true,
        appliedAt: true,
        verifiedAt: true,
        withdrawalRequestedAt: true,
        withdrawnAt: true,
        acquirer: { select: { id: true, code: true, name: true } },
      },
    }),
    db().pos.findMany({
      where: { storeId },
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        name: true,
        status: true,
        captureMode: true,
        createdAt: true,
        acquirers: { orderBy: { acquirer: { name: 'asc' } }, select: { id: true, status: true, acquirer: { select: { code: true, name: true } } } },
        _count: { select: { apiKeys: { where: { revokedAt: null } } } },
      },
    }),
    db().certificate.findMany({
      where: { storeId, status: { in: ['PENDING', 'ACTIVE', 'EXPIRED', 'REVOKED'] } },
      orderBy: [{ notAfter: 'asc' }, { id: 'asc' }],
      take: 200,
      select: {
        id: true,
        usage: true,
        serialNumber: true,
        notBefore: true,
        notAfter: true,
        status: true,
        posAcquirer: { select: { pos: { select: { id: true, name: true } }, acquirer: { select: { code: true, name: true } } } },
      },
    }),
    db().auditEvent.findMany({
      where: { storeId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: RECENT_AUDIT_EVENTS,
      select: { id: true, createdAt: true, actorType: true, actorId: true, action: true, targetType: true, targetId: true },
    }),
    store.status === 'SUSPENDED' ? suspensionOf(store) : Promise.resolve(null),
  ]);

  return {
    store: {
      id: store.id,
      name: store.name,
      contactEmail: store.contactEmail,
      phone: store.phone,
      postalAddress: store.postalAddress,
      websiteUrl: store.websiteUrl,
      status: store.status,
      storeInfoVersion: store.storeInfoVersion,
      withdrawnAt: store.withdrawnAt,
      createdAt: store.createdAt,
    },
    users: store.users,
    suspension,
    contracts,
    poses,
    certificates: certificates.map(({ posAcquirer, ...certificate }) => ({ ...certificate, pos: posAcquirer.pos, acquirer: posAcquirer.acquirer })),
    recentAuditEvents: auditRows.map((row) => ({ ...row, actionLabel: auditActionLabels[row.action] ?? null })),
  };
}

export type StoreDetail = NonNullable<Awaited<ReturnType<typeof getStoreDetail>>>;

async function suspensionOf(store: { id: string; suspendedAt: Date | null; suspendedReason: string | null; suspendedBy: SuspensionSource | null; suspendedByAcquirerId: string | null }): Promise<OperatorSuspensionView> {
  const source = store.suspendedBy ?? 'OPERATOR';
  const [acquirer, event] = await Promise.all([
    store.suspendedByAcquirerId ? db().acquirer.findUnique({ where: { id: store.suspendedByAcquirerId }, select: { name: true, code: true } }) : null,
    // The suspension in force is the latest one recorded for the store.
    db().auditEvent.findFirst({ where: { storeId: store.id, action: 'store.suspended' }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { actorType: true, actorId: true } }),
  ]);
  let byWhom: string | null = null;
  if (event?.actorId && isUuid(event.actorId)) {
    if (event.actorType === 'OPERATOR') {
      const operator = await db().operatorUser.findUnique({ where: { id: event.actorId }, select: { name: true, email: true } });
      byWhom = operator ? `${operator.name} <${operator.email}>` : null;
    } else if (event.actorType === 'STORE_USER') {
      const user = await db().storeUser.findFirst({ where: { id: event.actorId, storeId: store.id }, select: { name: true, email: true } });
      byWhom = user ? `${user.name} <${user.email}>` : null;
    }
  } else if (event?.actorType === 'SYSTEM') {
    byWhom = 'ServerPOS (automatic)';
  }
  return {
    source,
    byLabel: source === 'STORE' ? 'the store' : source === 'ACQUIRER' ? (acquirer ? `${acquirer.name} (${acquirer.code})` : 'an acquirer') : 'the operator',
    byWhom,
    reason: store.suspendedReason ?? '',
    since: store.suspendedAt,
    operatorMayResume: source !== 'STORE',
  };
}
