import { db } from '@/lib/db/client';

/** Why a never-sent payment was closed, by the status of its order: its decline code, event and message. */
const closures = {
  EXPIRED: {
    code: 'order_expired',
    kind: 'expired',
    message: { en: 'The order expired before it was paid. Nothing was charged.', ja: 'お支払いの前に注文の有効期限が切れました。請求は行われていません。' },
  },
  PAID: {
    code: 'order_already_paid',
    kind: 'closed',
    message: { en: 'The order was paid by another attempt. Nothing was charged by this one.', ja: 'この注文は別のお支払いで支払い済みです。今回のお支払いでは請求されていません。' },
  },
  CANCELLED: {
    code: 'order_cancelled',
    kind: 'closed',
    message: { en: 'The order was cancelled. Nothing was charged.', ja: '注文はキャンセルされました。請求は行われていません。' },
  },
} as const;

/**
 * Worker, every minute: OPEN orders past their expiry become EXPIRED, in one UPDATE, and every payment
 * that never got as far as the gateway (PENDING) of an order that can no longer be paid becomes FAILED,
 * with a code saying why: `order_expired` (the customer opened the checkout and left), `order_already_paid`
 * (a second tab, or a retry after a lost answer, while another attempt was authorised) or `order_cancelled`.
 * So every payment reaches a final status. Reads already treat an open order past its expiry as expired
 * (lib/payments/order-view.ts, the checkout); this makes the records say so too.
 *
 * An order with a payment in flight (AUTHORIZING, or UNKNOWN until the worker settles it) is left OPEN:
 * the customer may have paid in time, and settling that payment marks the order PAID. It expires on a
 * later run if the payment turns out not to be authorised. Every update is guarded on the status it
 * changes, so a second run, or two workers at once, change and record nothing twice; a checkout that
 * claims a payment at the same moment finds it no longer PENDING and stops.
 */
export async function expireOrders(options: { now?: Date } = {}): Promise<{ orders: number; payments: number }> {
  const now = options.now ?? new Date();
  return db().$transaction(async (tx) => {
    const orders = await tx.$queryRaw<{ id: string; storeId: string; shopOrderRef: string }[]>`
      UPDATE "Order" AS o
         SET "status" = 'EXPIRED', "updatedAt" = ${now}
       WHERE o."status" = 'OPEN' AND o."expiresAt" <= ${now}
         AND NOT EXISTS (SELECT 1 FROM "Payment" p WHERE p."orderId" = o."id" AND p."status" IN ('AUTHORIZING', 'UNKNOWN'))
      RETURNING o."id"::text AS "id", o."storeId"::text AS "storeId", o."shopOrderRef"`;
    const payments: { id: string; storeId: string; kind: string; code: string }[] = [];
    for (const [orderStatus, closure] of Object.entries(closures)) {
      const closed = await tx.$queryRaw<{ id: string; storeId: string }[]>`
        UPDATE "Payment" AS p
           SET "status" = 'FAILED', "declineCode" = ${closure.code}, "declineMessage" = ${JSON.stringify(closure.message)}::jsonb, "updatedAt" = ${now}
          FROM "Order" o
         WHERE o."id" = p."orderId" AND o."storeId" = p."storeId" AND o."status" = ${orderStatus}::"OrderStatus" AND p."status" = 'PENDING'
        RETURNING p."id"::text AS "id", p."storeId"::text AS "storeId"`;
      payments.push(...closed.map((payment) => ({ ...payment, kind: closure.kind, code: closure.code })));
    }
    // One insert for the lot, in the same transaction: an expiry is recorded exactly when it happens.
    if (orders.length > 0) {
      await tx.auditEvent.createMany({
        data: orders.map((order) => ({ storeId: order.storeId, actorType: 'SYSTEM', action: 'order.expired', targetType: 'Order', targetId: order.id, data: { shopOrderRef: order.shopOrderRef }, createdAt: now })),
      });
    }
    if (payments.length > 0) {
      await tx.paymentEvent.createMany({ data: payments.map((payment) => ({ storeId: payment.storeId, paymentId: payment.id, kind: payment.kind, code: payment.code, createdAt: now })) });
    }
    return { orders: orders.length, payments: payments.length };
  });
}
