import { pushStoreInfo } from '@/lib/acquirers/registry-client';
import { db, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { acknowledge } from '@/lib/stores/apply-acquirer-store-info';
import { storeInfoPushPayloadSchema } from '@/lib/stores/enqueue-store-info-push';
import { pullStoreInfo } from '@/lib/stores/pull-store-info';
import { pickStoreInfo, storeInfoSelect, toAcquirerStoreInfo } from '@/lib/stores/store-info';

export type StoreInfoDelivery = 'accepted' | 'pulled' | 'skipped';

/**
 * Delivers one `acquirer.store_info` outbox message: sends the store's CURRENT information — not the
 * payload's version, which a later change supersedes — to the contract's acquirer.
 * - `accepted`: the acquirer keeps it; the contract's acknowledged version rises to it (never falls).
 * - `stale`: the acquirer holds a newer (or equal) version; it is pulled and applied instead.
 * Any failure throws, so the queue retries; running it twice is harmless.
 */
export async function deliverStoreInfo(options: { storeId: string | null; payload: unknown; prisma?: Db }): Promise<StoreInfoDelivery> {
  const prisma = options.prisma ?? db();
  const payload = storeInfoPushPayloadSchema.parse(options.payload);
  const contract = await prisma.acquirerContract.findFirst({
    where: { id: payload.contractId, ...(options.storeId ? { storeId: options.storeId } : {}) },
    select: {
      id: true,
      storeId: true,
      status: true,
      merchantNumber: true,
      storeInfoVersionAcked: true,
      acquirer: { select: { id: true, code: true, name: true, status: true, registryUrl: true } },
      store: { select: { status: true, storeInfoVersion: true, ...storeInfoSelect } },
    },
  });
  // A contract that is no longer verified (withdrawn, say) takes no store information: nothing to retry.
  if (!contract || contract.status !== 'VERIFIED' || contract.store.status === 'WITHDRAWN') return 'skipped';
  const version = contract.store.storeInfoVersion;
  if (contract.storeInfoVersionAcked >= version) return 'skipped';
  if (contract.acquirer.status !== 'ACTIVE') throw new AppError('upstream_unavailable', `${contract.acquirer.name} is disabled in ServerPOS; the store information waits for it.`);

  const answer = await pushStoreInfo(contract.acquirer, contract.merchantNumber, toAcquirerStoreInfo(pickStoreInfo(contract.store), version));
  if (answer?.status === 'accepted') {
    await acknowledge(prisma, contract.id, version);
    return 'accepted';
  }
  if (answer?.status === 'stale') {
    const [pulled] = await pullStoreInfo({ storeId: contract.storeId, acquirerId: contract.acquirer.id, prisma });
    if (!pulled) return 'skipped';
    if (pulled.outcome === 'failed') throw new AppError('upstream_unavailable', pulled.error ?? `${contract.acquirer.name} could not be checked.`);
    return 'pulled';
  }
  throw new AppError('upstream_unavailable', `${contract.acquirer.name} sent an answer that could not be read.`);
}
