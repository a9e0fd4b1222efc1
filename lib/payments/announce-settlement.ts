import type { Tx } from '@/lib/db/client';
import { asSqlClient, sql, type SqlClient } from '@/lib/db/sql';
import { env } from '@/lib/env';
import { settlementCompletedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { formatMinorUnits, isSupportedCurrency } from '@/lib/payments/currencies';
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue-webhook-event';
import type { WebhookEventType } from '@/lib/webhooks/schemas';

export type CompletedSettlement = 'capture' | 'void' | 'refund';

const eventType: Record<CompletedSettlement, WebhookEventType> = { capture: 'payment.captured', void: 'payment.voided', refund: 'payment.refunded' };

/**
 * Tells the shop (webhook) and the store (e-mail, unless it turned them off) that a capture, void or
 * refund completed. Call it inside the transaction that records the acquirer's approval, after the payment
 * row is updated, wherever a settlement completes (at once, in a daily batch, or with the authorisation for
 * an auto-captured order), so both go out if and only if the settlement is recorded.
 */
export async function announceSettlement(client: Tx | SqlClient, input: { storeId: string; paymentId: string; kind: CompletedSettlement; amount: bigint }): Promise<void> {
  // In SQL, so that the checkout's outcome transaction on the pool (an auto-capture) and Prisma's share this code.
  const tx = asSqlClient(client);
  const [payment] = await tx.rows<{
    id: string;
    posId: string;
    currency: string;
    brand: string | null;
    maskedPan: string | null;
    shopOrderRef: string;
    posName: string;
    storeName: string;
    contactEmail: string;
    settlementEmails: boolean;
  }>(sql`
    SELECT p."id", p."posId", p."currency", p."brand", p."maskedPan", o."shopOrderRef", pos."name" AS "posName",
           s."name" AS "storeName", s."contactEmail", s."settlementEmails"
      FROM "Payment" p
      JOIN "Order" o ON o."id" = p."orderId"
      JOIN "Pos" pos ON pos."id" = p."posId"
      JOIN "Store" s ON s."id" = p."storeId"
     WHERE p."id" = ${input.paymentId}::uuid AND p."storeId" = ${input.storeId}::uuid`);
  if (!payment) throw new Error('A settlement was announced for a payment of another store.');
  await enqueueWebhookEvent(tx, { storeId: input.storeId, posId: payment.posId, paymentId: payment.id, type: eventType[input.kind] });
  if (!payment.settlementEmails) return;
  const base = env().APP_URL.replace(/\/+$/, '');
  await enqueueEmail(tx, {
    storeId: input.storeId,
    to: payment.contactEmail,
    email: settlementCompletedMessage({
      storeName: payment.storeName,
      kind: input.kind,
      amount: isSupportedCurrency(payment.currency) ? formatMinorUnits(input.amount, payment.currency) : input.amount.toString(),
      currency: payment.currency,
      paymentId: payment.id,
      shopOrderRef: payment.shopOrderRef,
      posName: payment.posName,
      // The gateway's masked number (first six, last four at most) is all the card data ServerPOS has.
      card: payment.maskedPan ? `${payment.brand ?? ''} ${payment.maskedPan}`.trim() : payment.brand,
      paymentUrl: `${base}/console/stores/${input.storeId}/payments/${payment.id}`,
      settingsUrl: `${base}/console/stores/${input.storeId}/settings`,
    }),
  });
}
