import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation } from '@/lib/db/client';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { generatePosApiKey } from '@/lib/pos/api-key';
import { requireStorePos } from '@/lib/pos/pos-scope';
import { createPosApiKeySchema } from '@/lib/pos/schemas';
import { parseInput } from '@/lib/validation';

export interface CreatedPosApiKey {
  apiKeyId: string;
  prefix: string;
  label: string;
  /**
   * The whole key. It exists only in this answer: the database keeps the secret's SHA-256, and the caller
   * shows it once and never logs it, puts it in a URL or in audit data.
   */
  apiKey: string;
}

/** A new API key for a POS, with a label to tell keys apart. */
export async function createPosApiKey(options: { storeId: string; actor: Actor; posId: string; input: unknown; origin?: RequestOrigin }): Promise<CreatedPosApiKey> {
  const input = parseInput(createPosApiKeySchema, options.input);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db().$transaction(async (tx) => {
        const { store, pos } = await requireStorePos(tx, options);
        const key = generatePosApiKey();
        const row = await tx.posApiKey.create({ data: { storeId: store.id, posId: pos.id, prefix: key.prefix, secretHash: key.secretHash, label: input.label }, select: { id: true } });
        await recordAuditEvent(tx, { actor: options.actor, action: 'pos.api_key_created', storeId: store.id, targetType: 'PosApiKey', targetId: row.id, data: { posId: pos.id, prefix: key.prefix }, origin: options.origin ?? null });
        return { apiKeyId: row.id, prefix: key.prefix, label: input.label, apiKey: key.apiKey };
      });
    } catch (error) {
      // A prefix collision (2^-62 a pair) just draws another key.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}
