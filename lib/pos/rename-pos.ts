import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation } from '@/lib/db/client';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { assertPosNameFree, duplicatePosName, requireStorePos } from '@/lib/pos/pos-scope';
import { renamePosSchema } from '@/lib/pos/schemas';
import { parseInput } from '@/lib/validation';

/** Renames one of the store's POSes; the name stays unique within the store. */
export async function renamePos(options: { storeId: string; actor: Actor; posId: string; input: unknown; origin?: RequestOrigin }): Promise<{ name: string; changed: boolean }> {
  const input = parseInput(renamePosSchema, options.input);
  try {
    return await db().$transaction(async (tx) => {
      const { store, pos } = await requireStorePos(tx, options);
      if (pos.name === input.name) return { name: pos.name, changed: false };
      await assertPosNameFree(tx, { storeId: store.id, name: input.name, exceptPosId: pos.id });
      await tx.pos.update({ where: { id: pos.id }, data: { name: input.name } });
      await recordAuditEvent(tx, { actor: options.actor, action: 'pos.renamed', storeId: store.id, targetType: 'Pos', targetId: pos.id, data: { fromName: pos.name, toName: input.name }, origin: options.origin ?? null });
      return { name: input.name, changed: true };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicatePosName(input.name);
    throw error;
  }
}
