import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation } from '@/lib/db/client';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { assertPosNameFree, duplicatePosName } from '@/lib/pos/pos-scope';
import { createPosSchema } from '@/lib/pos/schemas';
import { requireChangeableStore } from '@/lib/stores/store-scope';
import { parseInput } from '@/lib/validation';

/** A new POS for the store, ACTIVE, with no acquirers and no API keys yet. */
export async function createPos(options: { storeId: string; actor: Actor; input: unknown; origin?: RequestOrigin }): Promise<{ posId: string; name: string }> {
  const input = parseInput(createPosSchema, options.input);
  try {
    return await db().$transaction(async (tx) => {
      const store = await requireChangeableStore(tx, options.storeId, options.actor);
      await assertPosNameFree(tx, { storeId: store.id, name: input.name });
      const pos = await tx.pos.create({ data: { storeId: store.id, name: input.name }, select: { id: true, name: true } });
      await recordAuditEvent(tx, { actor: options.actor, action: 'pos.created', storeId: store.id, targetType: 'Pos', targetId: pos.id, data: { posName: pos.name }, origin: options.origin ?? null });
      return { posId: pos.id, name: pos.name };
    });
  } catch (error) {
    // Two requests raced past the check: the unique index decides, with the same answer.
    if (isUniqueViolation(error)) throw duplicatePosName(input.name);
    throw error;
  }
}
