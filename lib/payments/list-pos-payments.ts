import type { Prisma } from '@/lib/db/client';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { paymentViewSelect, toPaymentView } from '@/lib/payments/order-view';
import { paymentsOfPos } from '@/lib/payments/pos-api-scope';
import { afterPaymentCursor, decodePaymentCursor, encodePaymentCursor } from '@/lib/payments/payment-cursor';
import { DEFAULT_PAGE_SIZE, listPaymentsQuerySchema, type PaymentView } from '@/lib/payments/schemas';
import { isUuid, parseInput } from '@/lib/validation';

export interface PaymentPage {
  payments: PaymentView[];
  /** Pass back as `cursor` for the next page; null when this page is the last. */
  nextCursor: string | null;
}

/**
 * The calling POS's payments (see paymentsOfPos), newest first, a page at a time. Pages are cut by keyset on (createdAt, id),
 * both descending, so payments created in the same millisecond keep one order and a page boundary between
 * them neither repeats nor skips one, whatever is inserted meanwhile. The cursor is opaque to the shop: the
 * (createdAt, id) of the page's last payment, in base64url.
 */
export async function listPosPayments(options: { storeId: string; posId: string; query: unknown }): Promise<PaymentPage> {
  assertKnownParameters(options.query);
  const query = parseInput(listPaymentsQuerySchema, options.query);
  if (!isUuid(options.storeId) || !isUuid(options.posId)) return { payments: [], nextCursor: null };
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const after = query.cursor === undefined ? null : decodePaymentCursor(query.cursor);

  const filters: Prisma.PaymentWhereInput[] = [paymentsOfPos(options.storeId, options.posId)];
  if (query.status) filters.push({ status: query.status });
  if (query.from) filters.push({ createdAt: { gte: query.from } });
  if (query.to) filters.push({ createdAt: { lt: query.to } });
  if (query.shopOrderRef) filters.push({ order: { shopOrderRef: query.shopOrderRef } });
  if (after) filters.push(afterPaymentCursor(after));

  const rows = await db().payment.findMany({
    where: { AND: filters },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: paymentViewSelect,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { payments: page.map(toPaymentView), nextCursor: rows.length > limit && last ? encodePaymentCursor(last.createdAt, last.id) : null };
}

// Named here rather than left to the schema, whose message would not say which parameter it was.
function assertKnownParameters(query: unknown): void {
  if (!query || typeof query !== 'object') return;
  const known = Object.keys(listPaymentsQuerySchema.shape);
  const unknown = Object.keys(query).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const fields = unknown.map((name) => ({ path: name, message: `Unknown query parameter: use ${known.join(', ')}.` }));
  throw new AppError('validation_failed', `${fields[0]!.path}: ${fields[0]!.message}`, fields);
}
