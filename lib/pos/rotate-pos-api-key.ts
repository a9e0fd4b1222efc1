import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation } from '@/lib/db/client';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { generatePosApiKey } from '@/lib/pos/api-key';
import type { CreatedPosApiKey } from '@/lib/pos/create-pos-api-key';
import { revokeKeyInTransaction } from '@/lib/pos/revoke-pos-api-key';

/**
 * Replaces a POS API key: a new key with the same label, and the old one revoked at once, in one
 * transaction. There is no overlap: the shop must switch to the new key, which is shown once.
 */
export async function rotatePosApiKey(options: { storeId: string; actor: Actor; posId: string; apiKeyId: string; origin?: RequestOrigin }): Promise<CreatedPosApiKey & { replacedPrefix: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().$transaction(async (tx) => {
        const { store, pos, key: old } = await revokeKeyInTransaction(tx, options, new Date());
        const key = generatePosApiKey();
        const row = await tx.posApiKey.create({ data: { storeId: store.id, posId: pos.id, prefix: key.prefix, secretHash: key.secretHash, label: old.label }, select: { id: true } });
        await recordAuditEvent(tx, {
          actor: options.actor,
          action: 'pos.api_key_rotated',
          storeId: store.id,
          targetType: 'PosApiKey',
          targetId: row.id,
          data: { posId: pos.id, prefix: key.prefix, replacedPrefix: old.prefix },
          origin: options.origin ?? null,
        });
        return { apiKeyId: row.id, prefix: key.prefix, label: old.label, apiKey: key.apiKey, replacedPrefix: old.prefix };
      });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}
