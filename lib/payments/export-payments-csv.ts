import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { formatMinorUnits, isSupportedCurrency } from '@/lib/payments/currencies';
import { csvRow, type CsvValue } from '@/lib/payments/csv';
import { storePaymentSelect, type StorePaymentRow } from '@/lib/payments/list-store-payments';
import { afterPaymentCursor } from '@/lib/payments/payment-cursor';
import { paymentFilterConditions, paymentFilterQuery, parsePaymentFilters, type RawQuery } from '@/lib/payments/payment-filters';
import { isUuid } from '@/lib/validation';

/** Rows read per query while streaming: the file never needs the whole result in memory at once. */
export const EXPORT_PAGE_SIZE = 500;

const columns: readonly { name: string; value: (row: StorePaymentRow) => CsvValue }[] = [
  { name: 'payment_id', value: (row) => row.id },
  { name: 'created_at', value: (row) => row.createdAt.toISOString() },
  { name: 'updated_at', value: (row) => row.updatedAt.toISOString() },
  { name: 'pos', value: (row) => row.pos.name },
  { name: 'acquirer', value: (row) => row.acquirer?.code },
  { name: 'shop_order_ref', value: (row) => row.order.shopOrderRef },
  { name: 'status', value: (row) => row.status },
  { name: 'brand', value: (row) => row.brand },
  // The gateway's masked number (first six and last four at most) is the only card data ServerPOS holds.
  { name: 'masked_pan', value: (row) => row.maskedPan },
  { name: 'currency', value: (row) => row.currency },
  { name: 'amount', value: (row) => majorUnits(row.amount, row.currency) },
  { name: 'captured_amount', value: (row) => majorUnits(row.capturedAmount, row.currency) },
  { name: 'refunded_amount', value: (row) => majorUnits(row.refundedAmount, row.currency) },
  { name: 'decline_code', value: (row) => row.declineCode },
  { name: 'auth_code', value: (row) => row.authCode },
  { name: 'handling_number', value: (row) => row.handlingNumber },
];

export const PAYMENT_CSV_HEADER = columns.map((column) => column.name);

// Amounts in the currency's major units with its exact decimals ("12.34" USD, "12800" JPY), as accounting software reads them.
function majorUnits(amount: bigint, currency: string): string {
  return isSupportedCurrency(currency) ? formatMinorUnits(amount, currency) : amount.toString();
}

/**
 * Every payment of the store that matches the console's filters (the cursor aside), as a CSV stream: the
 * filters are checked and the export recorded in the audit log before the first byte, then the rows are
 * read page by page (keyset, newest first) as the client reads the file, so a large export holds neither
 * one giant query nor the whole file in memory.
 */
export async function exportPaymentsCsv(options: { storeId: string; actor: Actor; query: RawQuery; origin?: RequestOrigin | null; pageSize?: number; now?: Date }): Promise<{ filename: string; body: ReadableStream<Uint8Array> }> {
  const filters = parsePaymentFilters(options.query);
  if (!isUuid(options.storeId)) throw new AppError('not_found', 'No such store.');
  const { storeId } = options;
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const conditions = paymentFilterConditions(storeId, filters);
  await db().$transaction((tx) =>
    recordAuditEvent(tx, { actor: options.actor, action: 'payment.exported', storeId, targetType: 'Store', targetId: storeId, data: { filters: paymentFilterQuery(filters).toString() }, origin: options.origin ?? null }),
  );

  const encoder = new TextEncoder();
  let after: { createdAt: Date; id: string } | null = null;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(csvRow(PAYMENT_CSV_HEADER)));
      },
      async pull(controller) {
        const rows: StorePaymentRow[] = await db().payment.findMany({
          where: { AND: [...conditions, ...(after ? [afterPaymentCursor(after)] : [])] },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: pageSize,
          select: storePaymentSelect,
        });
        if (rows.length > 0) controller.enqueue(encoder.encode(rows.map((row) => csvRow(columns.map((column) => column.value(row)))).join('')));
        const last = rows.at(-1);
        if (!last || rows.length < pageSize) controller.close();
        else after = { createdAt: last.createdAt, id: last.id };
      },
    },
    // One page ahead at most: the next query waits until the client has taken the previous one.
    { highWaterMark: 1 },
  );
  const day = (options.now ?? new Date()).toISOString().slice(0, 10);
  return { filename: `payments-${day}.csv`, body };
}
