import type { Actor } from '@/lib/audit/record-audit-event';
import { db, type Prisma } from '@/lib/db/client';
import { afterPaymentCursor, decodePaymentCursor, encodePaymentCursor } from '@/lib/payments/payment-cursor';
import { paymentFilterConditions, paymentFilterQuery, parsePaymentFilters, type PaymentFilters, type RawQuery } from '@/lib/payments/payment-filters';
import { isUuid } from '@/lib/validation';

export const CONSOLE_PAGE_SIZE = 50;

/** What the console lists of a payment: no card data beyond the masked number the gateway returned. */
export const storePaymentSelect = {
  id: true,
  createdAt: true,
  updatedAt: true,
  status: true,
  amount: true,
  capturedAmount: true,
  refundedAmount: true,
  currency: true,
  brand: true,
  maskedPan: true,
  declineCode: true,
  authCode: true,
  handlingNumber: true,
  order: { select: { shopOrderRef: true } },
  pos: { select: { name: true } },
  acquirer: { select: { code: true, name: true } },
  // An affiliate's sale through another store's POS: both stores list it, tagged (lib/affiliates/affiliate-payment-tags.ts).
  storeId: true,
  affiliateStoreId: true,
} as const satisfies Prisma.PaymentSelect;

export type StorePaymentRow = Prisma.PaymentGetPayload<{ select: typeof storePaymentSelect }>;

export interface StorePaymentPage {
  payments: StorePaymentRow[];
  /** The next page's cursor; null on the last page. */
  nextCursor: string | null;
  filters: PaymentFilters;
  /** The filters alone (no cursor) as a query string, for links to the first page and to the export. */
  filterQuery: string;
}

/**
 * The store's payments for the console, newest first, filtered by POS, status, brand, acquirer, UTC days
 * and shop order reference, a page at a time by the same keyset cursor as the POS API's list.
 */
export async function listStorePayments(options: { storeId: string; actor: Actor; query: RawQuery; pageSize?: number }): Promise<StorePaymentPage> {
  const filters = parsePaymentFilters(options.query);
  const after = filters.cursor ? decodePaymentCursor(filters.cursor) : null;
  const filterQuery = paymentFilterQuery(filters).toString();
  if (!isUuid(options.storeId)) return { payments: [], nextCursor: null, filters, filterQuery };
  const pageSize = options.pageSize ?? CONSOLE_PAGE_SIZE;
  const rows = await db().payment.findMany({
    where: { AND: [...paymentFilterConditions(options.storeId, filters), ...(after ? [afterPaymentCursor(after)] : [])] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: pageSize + 1,
    select: storePaymentSelect,
  });
  const payments = rows.slice(0, pageSize);
  const last = payments.at(-1);
  return { payments, nextCursor: rows.length > pageSize && last ? encodePaymentCursor(last.createdAt, last.id) : null, filters, filterQuery };
}

/** What the filter form offers: the store's POSes, its acquirers and the brands they take. */
export async function listPaymentFilterOptions(storeId: string) {
  if (!isUuid(storeId)) return { poses: [], acquirers: [], brands: [] };
  const [poses, acquirers] = await Promise.all([
    db().pos.findMany({ where: { storeId }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    db().acquirer.findMany({ where: { contracts: { some: { storeId } } }, orderBy: { name: 'asc' }, select: { id: true, name: true, brands: true } }),
  ]);
  // From the acquirers rather than a DISTINCT over every payment of the store, which grows without bound.
  const brands = [...new Set(acquirers.flatMap((acquirer) => acquirer.brands))].sort();
  return { poses, acquirers: acquirers.map(({ id, name }) => ({ id, name })), brands };
}
