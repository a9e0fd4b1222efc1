import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { CaptureBatchStatus } from '@/lib/db/generated/prisma/enums';
import { isUuid } from '@/lib/validation';

export interface CaptureBatchView {
  id: string;
  /** YYYY-MM-DD, the UTC day the batch closed. */
  businessDate: string;
  status: CaptureBatchStatus;
  posName: string;
  acquirerName: string;
  currency: string;
  itemCount: number;
  amount: bigint;
  capturedCount: number;
  lastError: string | null;
  createdAt: Date;
  sentAt: Date | null;
  answeredAt: Date | null;
}

export interface QueuedCaptures {
  posName: string;
  acquirerName: string;
  currency: string;
  count: number;
  amount: bigint;
}

/**
 * The store's capture batches, newest first, with what is still queued for the next one (per POS ×
 * acquirer and currency). A batch's currency is its captures' (one per batch, see closeCaptureBatches).
 */
export async function listCaptureBatches(options: { storeId: string; actor: Actor; limit?: number }): Promise<{ batches: CaptureBatchView[]; queued: QueuedCaptures[] }> {
  const { storeId } = options;
  if (!isUuid(storeId)) return { batches: [], queued: [] };
  const [batches, queuedRows] = await Promise.all([
    db().captureBatch.findMany({ where: { storeId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: options.limit ?? 50 }),
    db().$queryRaw<{ posAcquirerId: string; currency: string; count: number; amount: bigint }[]>`
      SELECT p."posAcquirerId"::text AS "posAcquirerId", p."currency", COUNT(*)::int AS "count", SUM(t."amount")::bigint AS "amount"
        FROM "PaymentTransaction" t
        JOIN "Payment" p ON p."id" = t."paymentId" AND p."storeId" = t."storeId"
       WHERE t."storeId" = ${storeId}::uuid AND t."type" = 'CAPTURE' AND t."status" = 'QUEUED'
       GROUP BY 1, 2
       ORDER BY 1, 2`,
  ]);
  const batchIds = batches.map((batch) => batch.id);
  const linkIds = [...new Set([...batches.map((batch) => batch.posAcquirerId), ...queuedRows.map((row) => row.posAcquirerId)])];
  const [links, currencies] = await Promise.all([
    db().posAcquirer.findMany({ where: { storeId, id: { in: linkIds } }, select: { id: true, pos: { select: { name: true } }, acquirer: { select: { name: true } } } }),
    db().paymentTransaction.findMany({ where: { storeId, batchId: { in: batchIds } }, distinct: ['batchId'], select: { batchId: true, payment: { select: { currency: true } } } }),
  ]);
  const linkOf = new Map(links.map((link) => [link.id, { posName: link.pos.name, acquirerName: link.acquirer.name }]));
  const currencyOf = new Map(currencies.map((row) => [row.batchId, row.payment.currency]));
  const unknownLink = { posName: '—', acquirerName: '—' };
  return {
    batches: batches.map((batch) => ({
      id: batch.id,
      businessDate: batch.businessDate.toISOString().slice(0, 10),
      status: batch.status,
      ...(linkOf.get(batch.posAcquirerId) ?? unknownLink),
      currency: currencyOf.get(batch.id) ?? '',
      itemCount: batch.itemCount,
      amount: batch.amount,
      capturedCount: batch.capturedCount,
      lastError: batch.lastError,
      createdAt: batch.createdAt,
      sentAt: batch.sentAt,
      answeredAt: batch.answeredAt,
    })),
    queued: queuedRows.map((row) => ({ ...(linkOf.get(row.posAcquirerId) ?? unknownLink), currency: row.currency, count: row.count, amount: BigInt(row.amount) })),
  };
}
