import type { Tx } from '@/lib/db/client';
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
export async function announceSettlement(tx: Tx, input: { storeId: string; paymentId: string; kind: CompletedSettlement; amount: bigint }): Promise<void> {
  const payment = await tx.payment.findFirst({
    where: { id: input.paymentId, storeId: input.storeId },
    select: {
      id: true,
      posId: true,
      currency: true,
      brand: true,
      maskedPan: true,
      order: { select: { shopOrderRef: true } },
      pos: { select: { name: true } },
      store: { select: { name: true, contactEmail: true, settlementEmails: true } },
    },
  });
  if (!payment) throw new Error('A settlement was announced for a payment of another store.');
  await enqueueWebhookEvent(tx, { storeId: input.storeId, posId: payment.posId, paymentId: payment.id, type: eventType[input.kind] });
  if (!payment.store.settlementEmails) return;
  const base = env().APP_URL.replace(/\/+$/, '');
  await enqueueEmail(tx, {
    storeId: input.storeId,
    to: payment.store.contactEmail,
    email: settlementCompletedMessage({
      storeName: payment.store.name,
      kind: input.kind,
      amount: isSupportedCurrency(payment.currency) ? formatMinorUnits(input.amount, payment.currency) : input.amount.toString(),
      currency: payment.currency,
      paymentId: payment.id,
      shopOrderRef: payment.order.shopOrderRef,
      posName: payment.pos.name,
      // The gateway's masked number (first six, last four at most) is all the card data ServerPOS has.
      card: payment.maskedPan ? `${payment.brand ?? ''} ${payment.maskedPan}`.trim() : payment.brand,
      paymentUrl: `${base}/console/stores/${input.storeId}/payments/${payment.id}`,
      settingsUrl: `${base}/console/stores/${input.storeId}/settings`,
    }),
  });
}
