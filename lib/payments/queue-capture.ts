import { randomUUID } from 'node:crypto';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import type { Db, Tx } from '@/lib/db/client';
import { asSqlClient, sql, type SqlClient } from '@/lib/db/sql';
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
export async function queueCapture(
  client: Tx | SqlClient,
  input: { payment: { id: string; storeId: string }; amount: bigint; actor: Actor; automatic?: boolean },
): Promise<{ id: string; requestId: string }> {
  // In SQL, so that the checkout's outcome transaction on the pool (an auto-capture) and Prisma's share this code.
  const tx = asSqlClient(client);
  const transaction = { id: randomUUID(), requestId: randomId() };
  const createdAt = new Date();
  const detail = { amount: input.amount.toString(), ...(input.automatic ? { automatic: true } : {}) };
  await tx.execute(sql`
    WITH queued AS (
      INSERT INTO "PaymentTransaction" ("id", "storeId", "paymentId", "type", "status", "amount", "requestId", "createdAt")
      VALUES (${transaction.id}::uuid, ${input.payment.storeId}::uuid, ${input.payment.id}::uuid, 'CAPTURE', 'QUEUED', ${input.amount}::bigint, ${transaction.requestId}, ${createdAt}::timestamp)
      RETURNING "paymentId"
    )
    INSERT INTO "PaymentEvent" ("id", "storeId", "paymentId", "kind", "code", "detail", "createdAt")
    SELECT ${randomUUID()}::uuid, ${input.payment.storeId}::uuid, queued."paymentId", 'CapQueued', 'queued', ${JSON.stringify(detail)}::jsonb, ${createdAt}::timestamp FROM queued`);
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
