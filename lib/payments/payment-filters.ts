import { z } from 'zod';
import type { Prisma } from '@/lib/db/client';
import { paymentStatusSchema, shopOrderRefSchema } from '@/lib/payments/schemas';
import { parseInput, utcDaySchema } from '@/lib/validation';

/**
 * The console's payment filters, as GET query parameters (so a filtered list can be bookmarked and the
 * CSV export takes the very same ones). One schema for the list page and the export route: a value that
 * does not parse is a validation error naming the parameter, never a silently wider list.
 */

const DAY_MS = 86_400_000;

// A GET form sends every field, filled or not: an empty field means "no filter".
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blank, schema.optional());

export const paymentFiltersSchema = z
  .object({
    posId: optional(z.uuid({ error: 'Choose a POS from the list.' })),
    status: optional(z.enum(paymentStatusSchema.options, { error: 'Choose a status from the list.' })),
    brand: optional(z.string().trim().toUpperCase().regex(/^[A-Z][A-Z0-9_]{1,19}$/, 'Choose a brand from the list.')),
    acquirerId: optional(z.uuid({ error: 'Choose an acquirer from the list.' })),
    from: optional(utcDaySchema('from')),
    to: optional(utcDaySchema('to')),
    shopOrderRef: optional(shopOrderRefSchema),
    cursor: optional(z.string().max(200, 'This cursor is not one ServerPOS gave out.')),
  })
  .superRefine((filters, context) => {
    if (filters.from && filters.to && filters.from > filters.to) context.addIssue({ code: 'custom', path: ['to'], message: 'The end date is before the start date.' });
  });

export type PaymentFilters = z.infer<typeof paymentFiltersSchema>;

/** Query values as Next.js hands them to a page (a repeated parameter is an array: its first value counts) or as a URL has them. */
export type RawQuery = Record<string, string | string[] | undefined> | URLSearchParams;

/** Parses the console's payment filters; a bad value is AppError('validation_failed') naming the parameter. */
export function parsePaymentFilters(query: RawQuery): PaymentFilters {
  const values: Record<string, string> = {};
  const entries = query instanceof URLSearchParams ? [...query.entries()] : Object.entries(query);
  for (const [name, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && !(name in values)) values[name] = first;
  }
  return parseInput(paymentFiltersSchema, values);
}

/**
 * The conditions for the store's payments matching `filters` (cursor aside). Always scoped to the store:
 * a POS or acquirer id of another store matches nothing here. Dates are whole UTC days, `to` included.
 * The store's payments include its sales through other stores' POSes under an affiliate grant (those
 * stores see them too); the POS filter finds those by the store's own POS that placed them.
 */
export function paymentFilterConditions(storeId: string, filters: PaymentFilters): Prisma.PaymentWhereInput[] {
  const conditions: Prisma.PaymentWhereInput[] = [{ OR: [{ storeId }, { affiliateStoreId: storeId }] }];
  if (filters.posId) conditions.push({ OR: [{ storeId, posId: filters.posId }, { affiliateStoreId: storeId, order: { affiliatePosId: filters.posId } }] });
  if (filters.status) conditions.push({ status: filters.status });
  if (filters.brand) conditions.push({ brand: filters.brand });
  if (filters.acquirerId) conditions.push({ acquirerId: filters.acquirerId });
  if (filters.from) conditions.push({ createdAt: { gte: new Date(`${filters.from}T00:00:00Z`) } });
  if (filters.to) conditions.push({ createdAt: { lt: new Date(Date.parse(`${filters.to}T00:00:00Z`) + DAY_MS) } });
  if (filters.shopOrderRef) conditions.push({ order: { shopOrderRef: filters.shopOrderRef } });
  return conditions;
}

/** The filters (no cursor) as query parameters, for links to other pages of the list and to the export. */
export function paymentFilterQuery(filters: PaymentFilters): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of ['posId', 'status', 'brand', 'acquirerId', 'from', 'to', 'shopOrderRef'] as const) {
    const value = filters[name];
    if (value) query.set(name, value);
  }
  return query;
}
