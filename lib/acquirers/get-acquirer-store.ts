import type { AcquirerStoreView } from '@/lib/acquirers/acquirer-api-schemas';
import { findAcquirerStore, toAcquirerStoreView } from '@/lib/acquirers/acquirer-store-view';
import { db } from '@/lib/db/client';

/** One store of this acquirer by its merchant number; another acquirer's (or none) is not_found. */
export async function getAcquirerStore(options: { acquirerId: string; merchantNumber: string }): Promise<AcquirerStoreView> {
  return toAcquirerStoreView(await findAcquirerStore(db(), options.acquirerId, options.merchantNumber), options.acquirerId);
}
