import { db } from '@/lib/db/client';
import { STORE_INFO_OUTBOX_KIND } from '@/lib/stores/enqueue-store-info-push';
import { changedStoreInfoFields, pickStoreInfo, type StoreInfoField } from '@/lib/stores/store-info';
import { isUuid } from '@/lib/validation';

export type StoreInfoRevisionSource =
  | { kind: 'store_user'; name: string }
  | { kind: 'acquirer'; name: string }
  | { kind: 'enrolment' }
  /** ServerPOS itself: an operator's change, or its copy re-issued after a conflict. */
  | { kind: 'serverpos' };

export interface StoreInfoHistory {
  currentVersion: number;
  revisions: {
    version: number;
    createdAt: Date;
    source: StoreInfoRevisionSource;
    /** The fields that differ from the revision before; null for the first one kept. */
    changedFields: StoreInfoField[] | null;
  }[];
  acquirers: {
    contractId: string;
    acquirerName: string;
    merchantNumber: string;
    acknowledgedVersion: number;
    upToDate: boolean;
    /** Why the last delivery attempt failed, while a newer version is still on its way. */
    lastError: string | null;
  }[];
}

/**
 * The store's information history, newest first, and how far each verified acquirer has caught up.
 * Scoped to one store: the caller has checked that the user belongs to it.
 */
export async function getStoreInfoHistory(storeId: string, options: { limit?: number } = {}): Promise<StoreInfoHistory | null> {
  if (!isUuid(storeId)) return null;
  const limit = options.limit ?? 50;
  const store = await db().store.findUnique({ where: { id: storeId }, select: { storeInfoVersion: true } });
  if (!store) return null;
  // One more than shown, so the oldest one shown can still say what it changed.
  const rows = await db().storeInfoRevision.findMany({ where: { storeId }, orderBy: { version: 'desc' }, take: limit + 1 });
  const userIds = [...new Set(rows.map((row) => row.storeUserId).filter((id): id is string => id !== null))];
  const acquirerIds = [...new Set(rows.map((row) => row.acquirerId).filter((id): id is string => id !== null))];
  const [users, acquirers, contracts] = await Promise.all([
    db().storeUser.findMany({ where: { storeId, id: { in: userIds } }, select: { id: true, name: true } }),
    db().acquirer.findMany({ where: { id: { in: acquirerIds } }, select: { id: true, name: true } }),
    db().acquirerContract.findMany({
      where: { storeId, status: 'VERIFIED' },
      select: { id: true, merchantNumber: true, storeInfoVersionAcked: true, acquirer: { select: { name: true } } },
      orderBy: { acquirer: { name: 'asc' } },
    }),
  ]);
  const userName = new Map(users.map((user) => [user.id, user.name]));
  const acquirerName = new Map(acquirers.map((acquirer) => [acquirer.id, acquirer.name]));

  const revisions = rows.slice(0, limit).map((row, index) => {
    const previous = rows[index + 1];
    let source: StoreInfoRevisionSource;
    if (row.source === 'ENROLMENT') source = { kind: 'enrolment' };
    else if (row.source === 'ACQUIRER') source = { kind: 'acquirer', name: (row.acquirerId && acquirerName.get(row.acquirerId)) || 'An acquirer' };
    else if (row.storeUserId) source = { kind: 'store_user', name: userName.get(row.storeUserId) ?? 'a former user' };
    else source = { kind: 'serverpos' };
    return {
      version: row.version,
      createdAt: row.createdAt,
      source,
      changedFields: previous && previous.version === row.version - 1 ? changedStoreInfoFields(pickStoreInfo(previous), pickStoreInfo(row)) : null,
    };
  });

  const behind = contracts.filter((contract) => contract.storeInfoVersionAcked < store.storeInfoVersion);
  const lastErrors = new Map<string, string>();
  for (const contract of behind) {
    const message = await db().outboxMessage.findFirst({
      where: { storeId, kind: STORE_INFO_OUTBOX_KIND, payload: { path: ['contractId'], equals: contract.id } },
      orderBy: { createdAt: 'desc' },
      select: { lastError: true, status: true },
    });
    if (message?.lastError && message.status !== 'DELIVERED') lastErrors.set(contract.id, message.lastError);
  }

  return {
    currentVersion: store.storeInfoVersion,
    revisions,
    acquirers: contracts.map((contract) => ({
      contractId: contract.id,
      acquirerName: contract.acquirer.name,
      merchantNumber: contract.merchantNumber,
      acknowledgedVersion: contract.storeInfoVersionAcked,
      upToDate: contract.storeInfoVersionAcked >= store.storeInfoVersion,
      lastError: lastErrors.get(contract.id) ?? null,
    })),
  };
}
