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
  const payment = await tx.payment.findFirst({ where: { id: input.paymentId, storeId: input.storeId }, select: paymentViewSelect });
  const pos = await tx.pos.findFirst({ where: { id: input.posId, storeId: input.storeId }, select: { webhookUrl: true } });
  if (!payment || !pos) throw new Error('A webhook event names a payment or POS of another store.');

  const eventId = randomUUID();
  const createdAt = new Date();
  const body: WebhookEventBody = {
    id: eventId,
    type: input.type,
    createdAt: createdAt.toISOString(),
    data: { payment: toPaymentView(payment), order: { id: payment.orderId, shopOrderRef: payment.order.shopOrderRef } },
  };
  await tx.webhookEvent.create({
    data: { id: eventId, storeId: input.storeId, posId: input.posId, paymentId: input.paymentId, type: input.type, payload: JSON.stringify(body), createdAt },
  });
  if (!pos.webhookUrl) return { eventId, outboxMessageId: null };
  const payload: WebhookOutboxPayload = { eventId };
  const message = await tx.outboxMessage.create({ data: { kind: WEBHOOK_OUTBOX_KIND, storeId: input.storeId, payload: { ...payload } }, select: { id: true } });
  return { eventId, outboxMessageId: message.id };
}
