import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { requireChangeableStore } from '@/lib/stores/store-scope';
import { isUuid } from '@/lib/validation';
import { WEBHOOK_OUTBOX_KIND, type WebhookOutboxPayload } from '@/lib/webhooks/schemas';

const eventNotFound = () => new AppError('not_found', 'No such webhook event.');

/**
 * Sends one of the store's webhook events again, because a store user asked (the shop was down, or its
 * URL was wrong or missing when the event happened). It is a new outbox message for the same event, so it
 * goes to the POS's URL as it is now, with the same body and event id; its attempts are marked manual in
 * the delivery log. Another store's event is "not found".
 */
export async function redeliverWebhookEvent(options: { storeId: string; actor: Actor; eventId: string; origin?: RequestOrigin }): Promise<{ outboxMessageId: string; url: string }> {
  if (!isUuid(options.eventId)) throw eventNotFound();
  return db().$transaction(async (tx) => {
    const store = await requireChangeableStore(tx, options.storeId, options.actor);
    const event = await tx.webhookEvent.findFirst({ where: { id: options.eventId, storeId: store.id }, select: { id: true, type: true, posId: true, pos: { select: { name: true, webhookUrl: true } } } });
    if (!event) throw eventNotFound();
    if (!event.pos.webhookUrl) throw new AppError('invalid_state_transition', `The POS “${event.pos.name}” has no webhook URL. Set one on the POSes page first.`);
    const payload: WebhookOutboxPayload = { eventId: event.id, manual: true };
    const message = await tx.outboxMessage.create({ data: { kind: WEBHOOK_OUTBOX_KIND, storeId: store.id, payload: { ...payload } }, select: { id: true } });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'webhook.redelivery_requested',
      storeId: store.id,
      targetType: 'WebhookEvent',
      targetId: event.id,
      data: { eventType: event.type, posName: event.pos.name },
      origin: options.origin ?? null,
    });
    return { outboxMessageId: message.id, url: event.pos.webhookUrl };
  });
}
