import { randomUUID } from 'node:crypto';
import type { Tx } from '@/lib/db/client';
import { paymentViewSelect, toPaymentView } from '@/lib/payments/order-view';
import { WEBHOOK_OUTBOX_KIND, type WebhookEventBody, type WebhookEventType, type WebhookOutboxPayload } from '@/lib/webhooks/schemas';

/**
 * Records a payment event for the shop inside the transaction that records the payment's outcome, so the
 * event exists if and only if the outcome does. The body is built now, from the payment as the POS API
 * shows it after the change, and kept as the exact text to send: every delivery and redelivery POSTs the
 * same bytes (jsonb would reorder the keys). The event is recorded whether or not the POS has a webhook
 * URL — the console lists it, and a URL set later can redeliver it — but it goes to the outbox only when
 * there is somewhere to send it.
 */
export async function enqueueWebhookEvent(tx: Tx, input: { storeId: string; posId: string; paymentId: string; type: WebhookEventType }): Promise<{ eventId: string; outboxMessageId: string | null }> {
  // One statement on the usual path: the payment as the POS API shows it, with its order's affiliate and its POS's URL.
  const payment = await tx.payment.findFirst({
    where: { id: input.paymentId, storeId: input.storeId },
    select: { ...paymentViewSelect, order: { select: { shopOrderRef: true, affiliatePosId: true, affiliateStoreId: true } }, pos: { select: { id: true, storeId: true, webhookUrl: true } } },
  });
  if (!payment) throw new Error('A webhook event names a payment of another store.');
  // An affiliate sale was ordered by the affiliate's shop through its own POS: the event is that shop's,
  // sent to its POS's URL and listed (and redelivered) in the affiliate's console, not the lender's.
  const { affiliatePosId, affiliateStoreId } = payment.order;
  const owner = affiliatePosId && affiliateStoreId ? { storeId: affiliateStoreId, posId: affiliatePosId } : { storeId: input.storeId, posId: input.posId };
  const pos =
    owner.posId === payment.pos.id && owner.storeId === payment.pos.storeId ? payment.pos : await tx.pos.findFirst({ where: { id: owner.posId, storeId: owner.storeId }, select: { webhookUrl: true } });
  if (!pos) throw new Error('A webhook event names a POS of another store.');

  const eventId = randomUUID();
  const createdAt = new Date();
  const body: WebhookEventBody = {
    id: eventId,
    type: input.type,
    createdAt: createdAt.toISOString(),
    data: { payment: toPaymentView(payment), order: { id: payment.orderId, shopOrderRef: payment.order.shopOrderRef } },
  };
  await tx.webhookEvent.create({
    data: { id: eventId, storeId: owner.storeId, posId: owner.posId, paymentId: input.paymentId, type: input.type, payload: JSON.stringify(body), createdAt },
  });
  if (!pos.webhookUrl) return { eventId, outboxMessageId: null };
  const payload: WebhookOutboxPayload = { eventId };
  const message = await tx.outboxMessage.create({ data: { kind: WEBHOOK_OUTBOX_KIND, storeId: owner.storeId, payload: { ...payload } }, select: { id: true } });
  return { eventId, outboxMessageId: message.id };
}
