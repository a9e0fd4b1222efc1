import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { CaptureMode } from '@/lib/db/generated/prisma/enums';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { requireStorePos } from '@/lib/pos/pos-scope';
import { captureModeSchema } from '@/lib/pos/schemas';
import { parseInput } from '@/lib/validation';

/**
 * Chooses how a POS's captures reach its acquirers: each at once (IMMEDIATE, one CapReq per capture) or
 * queued for the daily batch per acquirer (DAILY_BATCH, see lib/payments/send-capture-batches.ts). Only
 * captures made after the change follow it: those already queued still go out in the next batch.
 */
export async function setPosCaptureMode(options: { storeId: string; actor: Actor; posId: string; captureMode: unknown; origin?: RequestOrigin }): Promise<{ captureMode: CaptureMode; changed: boolean }> {
  const captureMode = parseInput(captureModeSchema, options.captureMode);
  return db().$transaction(async (tx) => {
    const { store, pos } = await requireStorePos(tx, options);
    const current = await tx.pos.findUniqueOrThrow({ where: { id: pos.id }, select: { captureMode: true } });
    if (current.captureMode === captureMode) return { captureMode, changed: false };
    await tx.pos.update({ where: { id: pos.id }, data: { captureMode } });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'pos.capture_mode_changed',
      storeId: store.id,
      targetType: 'Pos',
      targetId: pos.id,
      data: { posName: pos.name, captureMode },
      origin: options.origin ?? null,
    });
    return { captureMode, changed: true };
  });
}
