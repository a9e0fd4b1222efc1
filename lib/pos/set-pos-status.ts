import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { requireStorePos } from '@/lib/pos/pos-scope';
import { posStatusSchema } from '@/lib/pos/schemas';
import { parseInput } from '@/lib/validation';

/**
 * Disables or enables a POS. A disabled POS keeps its keys, acquirers and certificates, but its API keys
 * are refused (lib/pos/authenticate-pos-api-key.ts) until it is enabled again.
 */
export async function setPosStatus(options: { storeId: string; actor: Actor; posId: string; status: unknown; origin?: RequestOrigin }): Promise<{ status: 'ACTIVE' | 'DISABLED' }> {
  const status = parseInput(posStatusSchema, options.status);
  return db().$transaction(async (tx) => {
    const { store, pos } = await requireStorePos(tx, options);
    if (pos.status === status) throw new AppError('invalid_state_transition', status === 'ACTIVE' ? `“${pos.name}” is already enabled.` : `“${pos.name}” is already disabled.`);
    // Guarded on the status read above, so two clicks cannot both record a change.
    const changed = await tx.pos.updateMany({ where: { id: pos.id, status: pos.status }, data: { status } });
    if (changed.count !== 1) throw new AppError('conflict', 'The POS changed meanwhile; reload the page.');
    await recordAuditEvent(tx, { actor: options.actor, action: status === 'ACTIVE' ? 'pos.enabled' : 'pos.disabled', storeId: store.id, targetType: 'Pos', targetId: pos.id, data: { posName: pos.name }, origin: options.origin ?? null });
    return { status };
  });
}
