import { db } from '@/lib/db/client';
import { isUuid } from '@/lib/validation';
import { webhookBodyText } from '@/lib/webhooks/schemas';

/** Where an event stands: delivered by some attempt, failing (attempts made, none acknowledged), or none made yet. */
export type WebhookEventState = 'delivered' | 'failing' | 'waiting' | 'no_url';

const MAX_DELIVERIES_SHOWN = 25;

/**
 * The store's webhook events for the console, newest first, each with its delivery log (newest attempt
 * first), the POS's current URL and the payment it is about. Only the store's own events; a payment id
 * narrows to one payment's events.
 */
export async function listWebhookEvents(options: { storeId: string; paymentId?: string; limit?: number }) {
  if (!isUuid(options.storeId) || (options.paymentId !== undefined && !isUuid(options.paymentId))) return [];
  const events = await db().webhookEvent.findMany({
    where: { storeId: options.storeId, ...(options.paymentId ? { paymentId: options.paymentId } : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: Math.min(options.limit ?? 50, 200),
    select: {
      id: true,
      type: true,
      paymentId: true,
      payload: true,
      createdAt: true,
      pos: { select: { id: true, name: true, webhookUrl: true } },
      deliveries: {
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: MAX_DELIVERIES_SHOWN,
        select: { id: true, url: true, statusCode: true, ok: true, error: true, latencyMs: true, manual: true, createdAt: true },
      },
      _count: { select: { deliveries: true } },
    },
  });
  const paymentIds = [...new Set(events.flatMap((event) => (event.paymentId ? [event.paymentId] : [])))];
  const payments = paymentIds.length
    ? await db().payment.findMany({ where: { id: { in: paymentIds }, storeId: options.storeId }, select: { id: true, order: { select: { shopOrderRef: true } } } })
    : [];
  const orderRefs = new Map(payments.map((payment) => [payment.id, payment.order.shopOrderRef]));
  return events.map(({ payload, _count, ...event }) => {
    const delivered = event.deliveries.some((delivery) => delivery.ok);
    const state: WebhookEventState = delivered ? 'delivered' : event.deliveries.length > 0 ? 'failing' : event.pos.webhookUrl ? 'waiting' : 'no_url';
    return {
      ...event,
      body: webhookBodyText(payload),
      shopOrderRef: event.paymentId ? (orderRefs.get(event.paymentId) ?? null) : null,
      attempts: _count.deliveries,
      lastDelivery: event.deliveries[0] ?? null,
      state,
    };
  });
}

export type WebhookEventListItem = Awaited<ReturnType<typeof listWebhookEvents>>[number];
