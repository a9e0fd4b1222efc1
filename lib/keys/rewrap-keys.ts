import type { Db } from '@/lib/db/client';
import { masterKeys, unwrapPrivateKey, wrapPrivateKey, type MasterKeys } from '@/lib/keys/vault';

export interface RewrapResult {
  /** Keys now under the current master key that were under an older one. */
  rewrapped: number;
  /** Keys already under the current master key. */
  alreadyCurrent: number;
  currentVersion: number;
}

/**
 * Re-encrypts every live private key that is not under the current master key.
 * Each key is written with a guarded update (same id and old version), so a run
 * beside another run, or beside a renewal, never overwrites a newer wrapping;
 * an interrupted run can simply be started again.
 */
export async function rewrapKeys(prisma: Db, options: { keys?: MasterKeys; batchSize?: number; onProgress?: (done: number) => void; /** Only this store's keys (all by default). */ storeId?: string } = {}): Promise<RewrapResult> {
  const keys = options.keys ?? masterKeys();
  const batchSize = options.batchSize ?? 200;
  let rewrapped = 0;
  let cursor: string | undefined;
  for (;;) {
    const batch = await prisma.keyPair.findMany({
      where: { encryptedPrivateKey: { not: null }, destroyedAt: null, masterKeyVersion: { not: keys.current }, ...(options.storeId ? { storeId: options.storeId } : {}), ...(cursor ? { id: { gt: cursor } } : {}) },
      orderBy: { id: 'asc' },
      take: batchSize,
      select: { id: true, encryptedPrivateKey: true, masterKeyVersion: true },
    });
    if (batch.length === 0) break;
    for (const keyPair of batch) {
      const pkcs8 = unwrapPrivateKey(keyPair.encryptedPrivateKey!, keyPair.masterKeyVersion, keyPair.id, keys);
      const wrapped = wrapPrivateKey(pkcs8, keyPair.id, keys);
      pkcs8.fill(0);
      const updated = await prisma.keyPair.updateMany({
        where: { id: keyPair.id, masterKeyVersion: keyPair.masterKeyVersion, destroyedAt: null },
        data: wrapped,
      });
      rewrapped += updated.count;
    }
    cursor = batch[batch.length - 1]!.id;
    options.onProgress?.(rewrapped);
  }
  const alreadyCurrent = (await prisma.keyPair.count({ where: { encryptedPrivateKey: { not: null }, destroyedAt: null, masterKeyVersion: keys.current, ...(options.storeId ? { storeId: options.storeId } : {}) } })) - rewrapped;
  return { rewrapped, alreadyCurrent, currentVersion: keys.current };
}
