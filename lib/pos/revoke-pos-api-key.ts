import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { requireStorePos } from '@/lib/pos/pos-scope';
import { isUuid } from '@/lib/validation';

/** Loads a POS's key for a change and revokes it with a guarded update; shared by revoke and rotate. */
export async function revokeKeyInTransaction(tx: Tx, options: { storeId: string; actor: Actor; posId: string; apiKeyId: string }, now: Date) {
  const { store, pos } = await requireStorePos(tx, options);
  const key = isUuid(options.apiKeyId)
    ? await tx.posApiKey.findFirst({ where: { id: options.apiKeyId, storeId: store.id, posId: pos.id }, select: { id: true, prefix: true, label: true, revokedAt: true } })
    : null;
  if (!key) throw new AppError('not_found', 'API key not found.');
  const revoked = key.revokedAt ? { count: 0 } : await tx.posApiKey.updateMany({ where: { id: key.id, revokedAt: null }, data: { revokedAt: now } });
  if (revoked.count !== 1) throw new AppError('invalid_state_transition', `The key ${key.prefix} is already revoked.`);
  return { store, pos, key };
}

/** Revokes a POS API key at once: the next request with it is refused. */
export async function revokePosApiKey(options: { storeId: string; actor: Actor; posId: string; apiKeyId: string; origin?: RequestOrigin }): Promise<{ prefix: string }> {
  return db().$transaction(async (tx) => {
    const { store, pos, key } = await revokeKeyInTransaction(tx, options, new Date());
    await recordAuditEvent(tx, { actor: options.actor, action: 'pos.api_key_revoked', storeId: store.id, targetType: 'PosApiKey', targetId: key.id, data: { posId: pos.id, prefix: key.prefix }, origin: options.origin ?? null });
    return { prefix: key.prefix };
  });
}
