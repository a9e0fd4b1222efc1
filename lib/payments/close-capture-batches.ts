import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';

/** A CapReq carries at most this many captures (lib/set's schema); a larger day makes several batches. */
export const MAX_BATCH_ITEMS = 500;

interface QueuedCapture {
  id: string;
  paymentId: string;
  storeId: string;
  amount: bigint;
  posAcquirerId: string;
  acquirerId: string;
  currency: string;
}

/**
 * Closes the queued captures into batches: per store, POS × acquirer and currency, at most 500 to a batch,
 * each an OPEN CaptureBatch dated the UTC day it closes. Its captures move from QUEUED to PENDING with the
 * batch's id, in the same transaction, so a capture is in exactly one batch and from then on is sent only
 * as part of it (lib/payments/send-capture-batches.ts). The queued rows are taken with SKIP LOCKED: two
 * runs at once (two workers, or the console's button beside the schedule) split them rather than both
 * batching the same capture.
 *
 * One currency per batch, although a CapReq could mix them: the batch's total is then an amount one can
 * read, and the settlements page shows it with its currency.
 */
export async function closeCaptureBatches(options: { storeId?: string; actor: Actor; now?: Date }): Promise<{ batchIds: string[] }> {
  const now = options.now ?? new Date();
  const businessDate = new Date(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  const storeId = options.storeId ?? null;
  return db().$transaction(async (tx) => {
    const queued = await tx.$queryRaw<QueuedCapture[]>`
      SELECT t."id"::text AS "id", t."paymentId"::text AS "paymentId", t."storeId"::text AS "storeId", t."amount",
             p."posAcquirerId"::text AS "posAcquirerId", p."acquirerId"::text AS "acquirerId", p."currency"
        FROM "PaymentTransaction" t
        JOIN "Payment" p ON p."id" = t."paymentId" AND p."storeId" = t."storeId"
       WHERE t."type" = 'CAPTURE' AND t."status" = 'QUEUED' AND t."batchId" IS NULL
         AND p."posAcquirerId" IS NOT NULL AND p."acquirerId" IS NOT NULL
         AND (${storeId}::uuid IS NULL OR t."storeId" = ${storeId}::uuid)
       ORDER BY t."createdAt", t."id"
       FOR UPDATE OF t SKIP LOCKED`;

    const groups = new Map<string, QueuedCapture[]>();
    for (const capture of queued) {
      const key = `${capture.storeId}|${capture.posAcquirerId}|${capture.acquirerId}|${capture.currency}`;
      groups.set(key, [...(groups.get(key) ?? []), capture]);
    }
    const batchIds: string[] = [];
    for (const captures of groups.values()) {
      for (let start = 0; start < captures.length; start += MAX_BATCH_ITEMS) {
        const items = captures.slice(start, start + MAX_BATCH_ITEMS);
        const first = items[0]!;
        const amount = items.reduce((sum, item) => sum + BigInt(item.amount), 0n);
        const batch = await tx.captureBatch.create({
          data: { storeId: first.storeId, posAcquirerId: first.posAcquirerId, acquirerId: first.acquirerId, businessDate, status: 'OPEN', itemCount: items.length, amount },
          select: { id: true },
        });
        await tx.paymentTransaction.updateMany({ where: { id: { in: items.map((item) => item.id) }, status: 'QUEUED', batchId: null }, data: { batchId: batch.id, status: 'PENDING' } });
        await tx.paymentEvent.createMany({ data: items.map((item) => ({ storeId: item.storeId, paymentId: item.paymentId, kind: 'CapBatched', detail: { batchId: batch.id } })) });
        await recordAuditEvent(tx, {
          actor: options.actor,
          action: 'capture_batch.closed',
          storeId: first.storeId,
          targetType: 'CaptureBatch',
          targetId: batch.id,
          data: { items: items.length, amount: amount.toString(), currency: first.currency },
        });
        batchIds.push(batch.id);
      }
    }
    return { batchIds };
  });
}
