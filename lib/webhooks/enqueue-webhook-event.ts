import { randomUUID } from 'node:crypto';
import type { Prisma, Tx } from '@/lib/db/client';
import type { PaymentStatus } from '@/lib/db/generated/prisma/enums';
import { asSqlClient, sql, type SqlClient } from '@/lib/db/sql';
import { toPaymentView } from '@/lib/payments/order-view';
import { WEBHOOK_OUTBOX_KIND, type WebhookEventBody, type WebhookEventType, type WebhookOutboxPayload } from '@/lib/webhooks/schemas';

/**
 * Records a payment event for the shop inside the transaction that records the payment's outcome, so the
 * event exists if and only if the outcome does. The body is built now, from the payment as the POS API
 * shows it after the change, and kept as the exact text to send: every delivery and redelivery POSTs the
 * same bytes (jsonb would reorder the keys). The event is recorded whether or not the POS has a webhook
 * URL — the console lists it, and a URL set later can redeliver it — but it goes to the outbox only when
 * there is somewhere to send it.
 */
export async function enqueueWebhookEvent(
  client: Tx | SqlClient,
  input: { storeId: string; posId: string; paymentId: string; type: WebhookEventType },
): Promise<{ eventId: string; outboxMessageId: string | null }> {
  // In SQL, so that the checkout's outcome transaction on the pool and Prisma's transactions share this code.
  const tx = asSqlClient(client);
  // One statement on the usual path: the payment as the POS API shows it, with its order's affiliate and its POS's URL.
  const [payment] = await tx.rows<PaymentForEvent>(sql`
    SELECT p."id", p."orderId", p."status"::text AS "status", p."amount", p."capturedAmount", p."refundedAmount", p."currency", p."brand",
           p."maskedPan", p."declineCode", p."declineMessage", p."authCode", p."handlingNumber", p."createdAt", p."updatedAt",
           o."shopOrderRef", o."affiliatePosId", o."affiliateStoreId", pos."id" AS "posId", pos."storeId" AS "posStoreId", pos."webhookUrl"
      FROM "Payment" p
      JOIN "Order" o ON o."id" = p."orderId"
      JOIN "Pos" pos ON pos."id" = p."posId"
     WHERE p."id" = ${input.paymentId}::uuid AND p."storeId" = ${input.storeId}::uuid`);
  if (!payment) throw new Error('A webhook event names a payment of another store.');
  // An affiliate sale was ordered by the affiliate's shop through its own POS: the event is that shop's,
  // sent to its POS's URL and listed (and redelivered) in the affiliate's console, not the lender's.
  const { affiliatePosId, affiliateStoreId } = payment;
  const owner = affiliatePosId && affiliateStoreId ? { storeId: affiliateStoreId, posId: affiliatePosId } : { storeId: input.storeId, posId: input.posId };
  const webhookUrl =
    owner.posId === payment.posId && owner.storeId === payment.posStoreId
      ? payment.webhookUrl
      : (await tx.rows<{ webhookUrl: string | null }>(sql`SELECT "webhookUrl" FROM "Pos" WHERE "id" = ${owner.posId}::uuid AND "storeId" = ${owner.storeId}::uuid`))[0]?.webhookUrl;
  if (webhookUrl === undefined) throw new Error('A webhook event names a POS of another store.');

  const eventId = randomUUID();
  const createdAt = new Date();
  const body: WebhookEventBody = {
    id: eventId,
    type: input.type,
    createdAt: createdAt.toISOString(),
    data: { payment: toPaymentView({ ...payment, order: { shopOrderRef: payment.shopOrderRef } }), order: { id: payment.orderId, shopOrderRef: payment.shopOrderRef } },
  };
  // The payload column holds the body's exact text as a JSON string.
  const event = sql`INSERT INTO "WebhookEvent" ("id", "storeId", "posId", "paymentId", "type", "payload", "createdAt")
    VALUES (${eventId}::uuid, ${owner.storeId}::uuid, ${owner.posId}::uuid, ${input.paymentId}::uuid, ${input.type}, to_jsonb(${JSON.stringify(body)}::text), ${createdAt}::timestamp)`;
  if (!webhookUrl) {
    await tx.execute(event);
    return { eventId, outboxMessageId: null };
  }
  const payload: WebhookOutboxPayload = { eventId };
  const outboxMessageId = randomUUID();
  await tx.execute(sql`
    WITH event AS (${event} RETURNING "id")
    INSERT INTO "OutboxMessage" ("id", "kind", "storeId", "payload", "createdAt")
    SELECT ${outboxMessageId}::uuid, ${WEBHOOK_OUTBOX_KIND}, ${owner.storeId}::uuid, ${JSON.stringify(payload)}::jsonb, ${createdAt}::timestamp FROM event`);
  return { eventId, outboxMessageId };
}

interface PaymentForEvent {
  id: string;
  orderId: string;
  status: PaymentStatus;
  amount: bigint;
  capturedAmount: bigint;
  refundedAmount: bigint;
  currency: string;
  brand: string | null;
  maskedPan: string | null;
  declineCode: string | null;
  declineMessage: Prisma.JsonValue;
  authCode: string | null;
  handlingNumber: string | null;
  createdAt: Date;
  updatedAt: Date;
  shopOrderRef: string;
  affiliatePosId: string | null;
  affiliateStoreId: string | null;
  posId: string;
  posStoreId: string;
  webhookUrl: string | null;
}
