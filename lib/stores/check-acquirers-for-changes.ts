import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { pullStoreInfo, type StoreInfoPullResult } from '@/lib/stores/pull-store-info';
import { storesOf } from '@/lib/stores/store-scope';
import { isUuid } from '@/lib/validation';

/** A store's acquirers are checked at most this often on request; the worker checks every 5 minutes anyway. */
export const CHECK_INTERVAL_MS = 10_000;

// Per process: each app instance lets a store through once per interval. Enough to stop a held-down button
// from hammering the acquirers; a limit shared across instances would need the database for little gain.
const lastCheck = new Map<string, number>();

/**
 * The console's "Check acquirers for changes": pulls the store information from each of the store's
 * acquirers now, instead of waiting for the scheduled pull.
 */
export async function checkAcquirersForChanges(options: { storeId: string; actor: Actor; now?: number }): Promise<StoreInfoPullResult[]> {
  const scope = storesOf(options.actor);
  if (!scope || !isUuid(options.storeId)) throw new AppError('not_found', 'Store not found.');
  const store = await db().store.findFirst({ where: { id: options.storeId, ...scope }, select: { id: true, status: true } });
  if (!store) throw new AppError('not_found', 'Store not found.');
  if (store.status === 'WITHDRAWN') throw new AppError('invalid_state_transition', 'A withdrawn store’s information is no longer kept in step.');

  const now = options.now ?? Date.now();
  const last = lastCheck.get(store.id);
  if (last !== undefined && now - last < CHECK_INTERVAL_MS) {
    const seconds = Math.ceil((CHECK_INTERVAL_MS - (now - last)) / 1000);
    throw new AppError('rate_limited', `Your acquirers were checked a moment ago. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`);
  }
  lastCheck.set(store.id, now);
  if (lastCheck.size > 10_000) {
    for (const [storeId, at] of lastCheck) if (now - at >= CHECK_INTERVAL_MS) lastCheck.delete(storeId);
  }
  return pullStoreInfo({ storeId: store.id });
}
