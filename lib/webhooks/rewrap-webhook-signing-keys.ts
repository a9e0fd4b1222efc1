import type { Db } from '@/lib/db/client';
import { masterKeys, unwrapPrivateKey, wrapPrivateKey, type MasterKeys } from '@/lib/keys/vault';
import { webhookKeyVaultId } from '@/lib/webhooks/current-signing-key';

/**
 * Re-encrypts the webhook signing keys (current and retired: retired ones may still be asked to sign
 * nothing, but must open for as long as they are kept) under the current master key, so an old master key
 * can be removed. Guarded like the store keys' re-wrap: a row is written only if it still has the version
 * it was read with, so runs side by side never overwrite a newer wrapping.
 */
export async function rewrapWebhookSigningKeys(prisma: Db, options: { keys?: MasterKeys } = {}): Promise<{ rewrapped: number; alreadyCurrent: number }> {
  const keys = options.keys ?? masterKeys();
  const rows = await prisma.webhookSigningKey.findMany({ where: { masterKeyVersion: { not: keys.current } }, select: { id: true, encryptedPrivateKey: true, masterKeyVersion: true } });
  let rewrapped = 0;
  for (const row of rows) {
    const pkcs8 = unwrapPrivateKey(row.encryptedPrivateKey, row.masterKeyVersion, webhookKeyVaultId(row.id), keys);
    const wrapped = wrapPrivateKey(pkcs8, webhookKeyVaultId(row.id), keys);
    pkcs8.fill(0);
    const updated = await prisma.webhookSigningKey.updateMany({ where: { id: row.id, masterKeyVersion: row.masterKeyVersion }, data: wrapped });
    rewrapped += updated.count;
  }
  const alreadyCurrent = (await prisma.webhookSigningKey.count({ where: { masterKeyVersion: keys.current } })) - rewrapped;
  return { rewrapped, alreadyCurrent };
}
