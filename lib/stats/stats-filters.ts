import { z } from 'zod';
import { DEFAULT_HISTORY_DAYS, MAX_HISTORY_DAYS } from '@/lib/payments/get-settlement-history';
import { supportedCurrencies } from '@/lib/payments/currencies';
import { isUuid, utcDaySchema } from '@/lib/validation';

/**
 * The filters of the statistics pages, exports and the acquirers' settlement report, shared by the forms
 * (query parameters) and the functions behind them. A period is UTC days, `from` and `to` both included,
 * at most MAX_HISTORY_DAYS long; without one, the last DEFAULT_HISTORY_DAYS days up to today.
 */

const DAY_MS = 86_400_000;

/** An empty form field means "not filtered". */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === '' || value === null ? undefined : value), schema.optional());

const id = (what: string) => z.string().refine(isUuid, `Choose ${what} from the list.`);

export const brandSchema = z.string().regex(/^[A-Z0-9_-]{1,20}$/, 'A brand is its code in capitals, e.g. VISA.');

const period = {
  from: optional(utcDaySchema('from')),
  to: optional(utcDaySchema('to')),
};

function checkPeriod(range: { from?: string | undefined; to?: string | undefined }, context: z.RefinementCtx) {
  if (range.from && range.to && range.from > range.to) context.addIssue({ code: 'custom', path: ['to'], message: 'The end date is before the start date.' });
  if (range.from && range.to && Date.parse(range.to) - Date.parse(range.from) >= MAX_HISTORY_DAYS * DAY_MS) context.addIssue({ code: 'custom', path: ['from'], message: `Ask for at most ${MAX_HISTORY_DAYS} days at a time.` });
}

export const operatorStatisticsFiltersSchema = z
  .object({
    ...period,
    acquirerId: optional(id('an acquirer')),
    brand: optional(brandSchema),
    storeId: optional(id('a store')),
    currency: optional(z.enum(supportedCurrencies, 'Choose a currency from the list.')),
  })
  .superRefine(checkPeriod);

export const storeStatisticsFiltersSchema = z
  .object({
    ...period,
    posId: optional(id('a POS')),
    acquirerId: optional(id('an acquirer')),
    brand: optional(brandSchema),
  })
  .superRefine(checkPeriod);

export const acquirerSettlementReportFiltersSchema = z
  .object({
    ...period,
    merchantNumber: optional(z.string().trim().toUpperCase().regex(/^[A-Z0-9-]{1,40}$/, 'A merchant number is letters, digits and hyphens, up to 40.')),
  })
  .superRefine(checkPeriod);

export type OperatorStatisticsFilters = z.infer<typeof operatorStatisticsFiltersSchema>;
export type StoreStatisticsFilters = z.infer<typeof storeStatisticsFiltersSchema>;

/** The period asked for, with its defaults: `to` is today unless given, `from` DEFAULT_HISTORY_DAYS - 1 days before `to`. */
export function resolvePeriod(range: { from?: string | undefined; to?: string | undefined }, now: Date = new Date()): { from: string; to: string; start: Date; end: Date } {
  const today = now.toISOString().slice(0, 10);
  const to = range.to ?? (range.from ? new Date(Math.min(Date.parse(range.from) + (DEFAULT_HISTORY_DAYS - 1) * DAY_MS, Date.parse(today))).toISOString().slice(0, 10) : today);
  const from = range.from ?? new Date(Date.parse(to) - (DEFAULT_HISTORY_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to, start: new Date(`${from}T00:00:00Z`), end: new Date(`${to}T00:00:00Z`) };
}

/** Every UTC day from `from` to `to`, both included, as YYYY-MM-DD. */
export function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(`${from}T00:00:00Z`); at <= Date.parse(`${to}T00:00:00Z`); at += DAY_MS) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}
