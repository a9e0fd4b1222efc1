import type { Prisma } from '@/lib/db/client';

/**
 * What one POS's API key may see and settle: the orders its shop registered, and nothing else.
 *
 * That is the POS's own orders, less those other stores' shops placed on it under an affiliate grant (their
 * shops own those sales; the owner of the POS sees them in its console), plus the orders its shop placed
 * through another store's POS under a grant it holds (tagged with this POS as `affiliatePosId`).
 */
export function ordersOfPos(storeId: string, posId: string): Prisma.OrderWhereInput {
  return { OR: [{ storeId, posId, affiliatePosId: null }, { affiliateStoreId: storeId, affiliatePosId: posId }] };
}

/** The payments of the orders in `ordersOfPos`. */
export function paymentsOfPos(storeId: string, posId: string): Prisma.PaymentWhereInput {
  return { OR: [{ storeId, posId, affiliateStoreId: null }, { affiliateStoreId: storeId, order: { affiliatePosId: posId } }] };
}
