import { recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db, type Db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { enqueueStoreInfoPush } from '@/lib/stores/enqueue-store-info-push';
import { acquirerStoreInfoSchema } from '@/lib/stores/schemas';
import { changedStoreInfoFields, ensureBaselineRevision, pickStoreInfo, storeInfoSelect, type StoreInfo, type StoreInfoField } from '@/lib/stores/store-info';
import { isUuid, parseInput } from '@/lib/validation';

export type ApplyStoreInfoOutcome =
  /** The acquirer's version was newer: its fields are now ServerPOS's, and the other acquirers are told. */
  | 'applied'
  /** Same version, same content: nothing to do but note that this acquirer has it. */
  | 'unchanged'
  /** Same version, other content: ServerPOS's copy wins as the next version, sent to every acquirer. */
  | 'conflict_resolved'
  /** The acquirer is behind: ServerPOS's version is sent to it. */
  | 'acquirer_behind';

export interface ApplyStoreInfoResult {
  outcome: ApplyStoreInfoOutcome;
  /** ServerPOS's version afterwards. */
  storeInfoVersion: number;
  /** The fields the acquirer's copy changed (applied) or would have changed (conflict_resolved). */
  changedFields: StoreInfoField[];
}

/** The store's version moved between reading it and writing the acquirer's: decide again on the new one. */
class VersionMoved extends Error {}

const MAX_ATTEMPTS = 5;

/**
 * Applies the store information an acquirer holds (pulled from its registry, or pushed by it) to the
 * store. The newest version wins everywhere:
 * - newer than ServerPOS's: the acquirer's name and each optional field it sends replace ours, a revision
 *   records the change as the acquirer's, this contract counts as acknowledged, and every other verified
 *   contract gets an outbox message — all in one transaction;
 * - equal with other content: ServerPOS's copy wins, re-issued as version + 1 to every acquirer
 *   (docs/decisions.md);
 * - older: ignored, and ServerPOS's version is sent to that acquirer.
 *
 * The write is a compare-and-set on storeInfoVersion, so a console change (or another acquirer's) that
 * commits meanwhile is never overwritten by an older decision: the decision is taken again.
 */
export async function applyAcquirerStoreInfo(options: { storeId: string; acquirerId: string; info: unknown; prisma?: Db }): Promise<ApplyStoreInfoResult> {
  if (!isUuid(options.storeId) || !isUuid(options.acquirerId)) throw new AppError('not_found', 'Store not found.');
  const incoming = parseInput(acquirerStoreInfoSchema, options.info);
  const prisma = options.prisma ?? db();
  for (let attempt = 1; ; attempt++) {
    try {
      return await prisma.$transaction((tx) => decideAndApply(tx, options.storeId, options.acquirerId, incoming));
    } catch (error) {
      if (!(error instanceof VersionMoved)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new AppError('conflict', 'The store information kept changing while an acquirer’s copy was applied. Try again.');
    }
  }
}

async function decideAndApply(tx: Tx, storeId: string, acquirerId: string, incoming: ReturnType<typeof acquirerStoreInfoSchema.parse>): Promise<ApplyStoreInfoResult> {
  const store = await tx.store.findUnique({ where: { id: storeId }, select: { id: true, status: true, storeInfoVersion: true, ...storeInfoSelect } });
  const contract = store && (await tx.acquirerContract.findFirst({ where: { storeId, acquirerId, status: 'VERIFIED' }, select: { id: true } }));
  if (!store || !contract) throw new AppError('not_found', 'This store has no verified contract with this acquirer.');
  if (store.status === 'WITHDRAWN') throw new AppError('invalid_state_transition', 'A withdrawn store’s information is no longer kept in step.');

  const ours = pickStoreInfo(store);
  const theirs: StoreInfo = {
    name: incoming.name,
    contactEmail: incoming.contactEmail ?? ours.contactEmail,
    phone: incoming.phone === undefined ? ours.phone : incoming.phone || null,
    postalAddress: incoming.postalAddress === undefined ? ours.postalAddress : incoming.postalAddress || null,
    websiteUrl: incoming.websiteUrl === undefined ? ours.websiteUrl : incoming.websiteUrl || null,
  };
  const changedFields = changedStoreInfoFields(ours, theirs);
  const version = store.storeInfoVersion;

  if (incoming.version > version) {
    await ensureBaselineRevision(tx, store);
    await compareAndSet(tx, storeId, version, { ...theirs, storeInfoVersion: incoming.version });
    await tx.storeInfoRevision.create({ data: { storeId, version: incoming.version, source: 'ACQUIRER', acquirerId, ...theirs } });
    await acknowledge(tx, contract.id, incoming.version);
    const others = await tx.acquirerContract.findMany({ where: { storeId, status: 'VERIFIED', id: { not: contract.id } }, select: { id: true } });
    await enqueueStoreInfoPush(tx, { storeId, contractIds: others.map((other) => other.id), version: incoming.version });
    await recordAuditEvent(tx, {
      actor: { type: 'ACQUIRER', id: acquirerId },
      action: 'store.info_changed_by_acquirer',
      storeId,
      targetType: 'Store',
      targetId: storeId,
      data: { storeInfoVersion: incoming.version, previousVersion: version, fields: changedFields },
    });
    return { outcome: 'applied', storeInfoVersion: incoming.version, changedFields };
  }

  if (incoming.version === version) {
    if (changedFields.length === 0) {
      await acknowledge(tx, contract.id, version);
      return { outcome: 'unchanged', storeInfoVersion: version, changedFields };
    }
    // Two parties made different version N. Neither is newer, so ServerPOS's copy — the one the store
    // itself sees and edits — wins, as N + 1, which every acquirer (this one too) then takes as newer.
    await ensureBaselineRevision(tx, store);
    await compareAndSet(tx, storeId, version, { storeInfoVersion: version + 1 });
    await tx.storeInfoRevision.create({ data: { storeId, version: version + 1, source: 'CONSOLE', ...ours } });
    const contracts = await tx.acquirerContract.findMany({ where: { storeId, status: 'VERIFIED' }, select: { id: true } });
    await enqueueStoreInfoPush(tx, { storeId, contractIds: contracts.map((each) => each.id), version: version + 1 });
    await recordAuditEvent(tx, {
      actor: { type: 'SYSTEM', id: null },
      action: 'store.info_conflict_resolved',
      storeId,
      targetType: 'Store',
      targetId: storeId,
      data: { storeInfoVersion: version + 1, acquirerId, conflictingVersion: version, fields: changedFields },
    });
    return { outcome: 'conflict_resolved', storeInfoVersion: version + 1, changedFields };
  }

  // The acquirer is behind. If it once acknowledged more than it now holds (its records were restored,
  // say), forget that acknowledgement, or the delivery would think there is nothing to send.
  await tx.acquirerContract.updateMany({ where: { id: contract.id, storeInfoVersionAcked: { gt: incoming.version } }, data: { storeInfoVersionAcked: incoming.version } });
  await enqueueStoreInfoPush(tx, { storeId, contractIds: [contract.id], version, unlessQueued: true });
  return { outcome: 'acquirer_behind', storeInfoVersion: version, changedFields: [] };
}

async function compareAndSet(tx: Tx, storeId: string, expectedVersion: number, data: Partial<StoreInfo> & { storeInfoVersion: number }): Promise<void> {
  const written = await tx.store.updateMany({ where: { id: storeId, storeInfoVersion: expectedVersion }, data });
  if (written.count !== 1) throw new VersionMoved();
}

/** Records that the acquirer holds `version`; never lowers what it already acknowledged. */
export async function acknowledge(tx: Tx | Db, contractId: string, version: number): Promise<void> {
  await tx.acquirerContract.updateMany({ where: { id: contractId, storeInfoVersionAcked: { lt: version } }, data: { storeInfoVersionAcked: version } });
}
