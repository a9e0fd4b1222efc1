import type { Prisma } from '@/lib/db/client';
import { env } from '@/lib/env';
import type { Currency } from '@/lib/payments/currencies';
import type { OrderLineItem } from '@/lib/payments/order-description';
import type { OrderView, OrderWithPaymentsView, PaymentView } from '@/lib/payments/schemas';

/**
 * How orders and payments read to the shop through the POS API: one mapping from rows to the views in
 * lib/payments/schemas.ts, used by every route that answers with them, so an order looks the same whether
 * it was just created, fetched by id or by reference. Amounts are BigInt in the database and numbers here:
 * they are at most 10^12, well inside what JSON numbers carry exactly.
 */

export const orderViewSelect = {
  id: true,
  shopOrderRef: true,
  status: true,
  amount: true,
  currency: true,
  lineItems: true,
  description: true,
  autoCapture: true,
  expiresAt: true,
  checkoutToken: true,
  createdAt: true,
  posId: true,
  affiliatePosId: true,
} as const satisfies Prisma.OrderSelect;

export const paymentViewSelect = {
  id: true,
  orderId: true,
  status: true,
  amount: true,
  capturedAmount: true,
  refundedAmount: true,
  currency: true,
  brand: true,
  maskedPan: true,
  declineCode: true,
  declineMessage: true,
  authCode: true,
  handlingNumber: true,
  createdAt: true,
  updatedAt: true,
  order: { select: { shopOrderRef: true } },
} as const satisfies Prisma.PaymentSelect;

type OrderRow = Prisma.OrderGetPayload<{ select: typeof orderViewSelect }>;
type PaymentRow = Prisma.PaymentGetPayload<{ select: typeof paymentViewSelect }>;

/** Where the customer pays: the app's public address and the order's random token, nothing else. */
export function checkoutUrlFor(checkoutToken: string): string {
  return `${env().APP_URL.replace(/\/+$/, '')}/checkout/${checkoutToken}`;
}

export function toOrderView(row: OrderRow, now = new Date()): OrderView {
  return {
    id: row.id,
    shopOrderRef: row.shopOrderRef,
    // The checkout refuses an order from its expiresAt on, whether or not anything has marked it EXPIRED yet; the shop sees the same.
    status: row.status === 'OPEN' && row.expiresAt <= now ? 'EXPIRED' : row.status,
    amount: Number(row.amount),
    currency: row.currency as Currency,
    lineItems: (row.lineItems as unknown as OrderLineItem[]).map((item) => ({ name: item.name, unitAmount: item.unitAmount, quantity: item.quantity })),
    description: row.description,
    autoCapture: row.autoCapture,
    expiresAt: row.expiresAt.toISOString(),
    checkoutUrl: checkoutUrlFor(row.checkoutToken),
    createdAt: row.createdAt.toISOString(),
    // Only the shop that placed an affiliate order reads it through the API (ordersOfPos): the POS it went through.
    viaPosId: row.affiliatePosId ? row.posId : null,
  };
}

export function toPaymentView(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    orderId: row.orderId,
    shopOrderRef: row.order.shopOrderRef,
    status: row.status,
    amount: Number(row.amount),
    capturedAmount: Number(row.capturedAmount),
    refundedAmount: Number(row.refundedAmount),
    currency: row.currency as Currency,
    brand: row.brand,
    maskedPan: row.maskedPan,
    declineCode: row.declineCode,
    declineMessage: declineMessageOf(row.declineMessage),
    authCode: row.authCode,
    handlingNumber: row.handlingNumber,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toOrderWithPaymentsView(row: OrderRow & { payments: PaymentRow[] }, now = new Date()): OrderWithPaymentsView {
  return { ...toOrderView(row, now), payments: row.payments.map(toPaymentView) };
}

// The column is free JSON written from the gateway's answer; only the documented shape goes out.
function declineMessageOf(value: Prisma.JsonValue): PaymentView['declineMessage'] {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.en === 'string' && typeof value.ja === 'string') return { en: value.en, ja: value.ja };
  return null;
}
