import { z } from 'zod';
import { currencySchema, MAX_ORDER_AMOUNT } from '@/lib/payments/schemas';

/**
 * An affiliate grant as the console's form sends it (every value text, brands as a list) and the domain
 * function reads it. Amounts are minor units of the grant's currency; an empty amount means no such limit.
 * The period is whole UTC days, first and last included, the same days the daily total counts in.
 */

const DAY_MS = 86_400_000;

const optionalAmount = (label: string) =>
  z
    .string({ error: `Enter the ${label} as a whole number of minor units, or leave it empty.` })
    .trim()
    .regex(/^\d{0,13}$/, `Enter the ${label} as a whole number of minor units (e.g. yen or cents), or leave it empty.`)
    .transform((value) => (value === '' ? null : BigInt(value)))
    .refine((value) => value === null || value > 0n, `The ${label} must be more than zero; leave it empty for no limit.`)
    .refine((value) => value === null || value <= BigInt(MAX_ORDER_AMOUNT), `The ${label} is at most ${MAX_ORDER_AMOUNT} minor units.`);

const utcDay = (label: string) =>
  z
    .string({ error: `Enter the ${label} date.` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `Enter the ${label} date as YYYY-MM-DD.`)
    .refine((value) => {
      const date = new Date(`${value}T00:00:00.000Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
    }, `Enter a real ${label} date as YYYY-MM-DD.`);

export const grantAffiliateSchema = z
  .object({
    affiliateStoreId: z
      .string({ error: 'Enter the other store’s id.' })
      .trim()
      .toLowerCase()
      .pipe(z.uuid({ error: 'Enter the other store’s id as shown on its Store settings page (8-4-4-4-12 hexadecimal characters).' })),
    posId: z.uuid({ error: 'Choose one of your POSes.' }),
    currency: currencySchema,
    maxAmount: optionalAmount('maximum per payment'),
    dailyLimit: optionalAmount('daily total'),
    brands: z
      .array(z.string().regex(/^[A-Z][A-Z0-9_]{1,19}$/, 'Choose the brands from the list.'), { error: 'Choose at least one brand.' })
      .min(1, 'Choose at least one brand.')
      .max(20, 'Choose at most 20 brands.')
      .transform((brands) => [...new Set(brands)].sort()),
    validFrom: utcDay('first'),
    validUntil: utcDay('last'),
  })
  .superRefine((grant, context) => {
    if (grant.maxAmount !== null && grant.dailyLimit !== null && grant.maxAmount > grant.dailyLimit) {
      context.addIssue({ code: 'custom', path: ['maxAmount'], message: 'The maximum per payment cannot be more than the daily total.' });
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(grant.validFrom) && /^\d{4}-\d{2}-\d{2}$/.test(grant.validUntil) && grant.validUntil < grant.validFrom) {
      context.addIssue({ code: 'custom', path: ['validUntil'], message: 'The last day must not come before the first.' });
    }
  })
  .transform((grant) => ({
    ...grant,
    // The first day from its start, the last day to its end (UTC), both included.
    validFrom: new Date(`${grant.validFrom}T00:00:00.000Z`),
    validUntil: new Date(new Date(`${grant.validUntil}T00:00:00.000Z`).getTime() + DAY_MS - 1),
  }));

export type GrantAffiliateInput = z.infer<typeof grantAffiliateSchema>;

/** The UTC day an instant falls in, as [start, end). */
export function utcDayOf(instant: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
  return { start, end: new Date(start.getTime() + DAY_MS) };
}
