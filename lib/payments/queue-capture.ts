import { randomUUID } from 'node:crypto';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import type { Db, Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { randomId } from '@/lib/set';

/** True when the POS sends its captures in the daily batch instead of one CapReq each. */
export async function capturesInDailyBatch(client: Tx | Db, posId: string): Promise<boolean> {
  const pos = await client.pos.findUnique({ where: { id: posId }, select: { captureMode: true } });
  return pos?.captureMode === 'DAILY_BATCH';
}

/**
 * Records a capture for the POS's daily batch instead of sending it: a QUEUED transaction, which counts
 * against what may still be captured (see settlePayment) and which the batch run sends with the others of
 * its POS × acquirer (lib/payments/send-capture-batches.ts). Call it inside the transaction that holds the
 * payment row lock and checked the amount, so the reservation and the queued capture are one change.
 */
export async function queueCapture(tx: Tx, input: { payment: { id: string; storeId: string }; amount: bigint; actor: Actor; automatic?: boolean }): Promise<{ id: string; requestId: string }> {
  const transaction = await tx.paymentTransaction.create({
    data: { id: randomUUID(), storeId: input.payment.storeId, paymentId: input.payment.id, type: 'CAPTURE', status: 'QUEUED', amount: input.amount, requestId: randomId() },
    select: { id: true, requestId: true },
  });
  await tx.paymentEvent.create({
    data: { storeId: input.payment.storeId, paymentId: input.payment.id, kind: 'CapQueued', code: 'queued', detail: { amount: input.amount.toString(), ...(input.automatic ? { automatic: true } : {}) } },
  });
  await recordAuditEvent(tx, {
    actor: input.actor,
    action: 'payment.capture',
    storeId: input.payment.storeId,
    targetType: 'Payment',
    targetId: input.payment.id,
    data: { amount: input.amount.toString(), result: 'queued', code: 'queued' },
  });
  return transaction;
}

/**
 * While a capture waits for the daily batch the payment is neither voidable (the capture will go out) nor
 * refundable (its status would be overtaken by the capture's answer): both are refused with the reason.
 */
export function assertNoQueuedCapture(kind: 'capture' | 'void' | 'refund', queued: readonly { type: string }[]): void {
  if (kind === 'capture' || !queued.some((transaction) => transaction.type === 'CAPTURE')) return;
  throw new AppError(
    'invalid_state_transition',
    kind === 'void'
      ? 'A capture of this payment is queued for the daily capture batch, so it can no longer be voided. Refund it once the batch has been answered.'
      : 'A capture of this payment is queued for the daily capture batch. Refunds can be made once the batch has been answered.',
  );
}
