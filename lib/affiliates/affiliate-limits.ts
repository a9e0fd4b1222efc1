/**
 * What an affiliate grant allows, as one pure decision: the same rules at order creation, at the start of
 * the checkout and when the payment is claimed for authorisation. No Prisma: the callers load the grant and
 * the day's total. Messages are read by the shop (order creation) and by its customer (checkout), so they
 * say what is wrong in plain words and never name the other store's internals.
 */
import type { PaymentStatus } from '@/lib/db/generated/prisma/enums';
import { formatMinorUnits, isSupportedCurrency } from '@/lib/payments/currencies';

export interface AffiliateGrantTerms {
  maxAmount: bigint | null;
  dailyLimit: bigint | null;
  currency: string | null;
  brands: readonly string[];
  validFrom: Date;
  validUntil: Date;
  revokedAt: Date | null;
}

export interface AffiliateSale {
  amount: bigint;
  currency: string;
  /** Known from the checkout on; an order has no brand yet. */
  brand?: string;
  now: Date;
  /**
   * What the affiliate already authorised under the grant on the sale's UTC day, without this sale; given
   * only where the daily total is checked (the checkout), absent at order creation.
   */
  spentToday?: bigint;
}

/**
 * Payments that use up the daily total: those being authorised or whose outcome is not known yet (either may
 * stand), and those authorised, whatever was captured or refunded since. Declined, failed and voided ones
 * moved no money and do not count.
 */
export const statusesCountedAgainstDailyLimit: PaymentStatus[] = ['AUTHORIZING', 'UNKNOWN', 'AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED'];

const money = (amount: bigint, currency: string) => `${isSupportedCurrency(currency) ? formatMinorUnits(amount, currency) : amount.toString()} ${currency}`;
const day = (instant: Date) => instant.toISOString().slice(0, 10);

/** Why the sale is outside the grant, or null when the grant allows it. Checked in the order a person would look. */
export function affiliateLimitProblem(grant: AffiliateGrantTerms, sale: AffiliateSale): string | null {
  if (grant.revokedAt && grant.revokedAt <= sale.now) return 'The owner of this POS has withdrawn the permission to sell through it. Nothing was charged.';
  if (sale.now < grant.validFrom) return `The permission to sell through this POS starts on ${day(grant.validFrom)} (UTC). Nothing was charged.`;
  if (sale.now > grant.validUntil) return `The permission to sell through this POS ended on ${day(grant.validUntil)} (UTC). Nothing was charged.`;
  if (grant.currency && sale.currency !== grant.currency) return `Sales through this POS must be in ${grant.currency}, not ${sale.currency}. Nothing was charged.`;
  if (sale.brand !== undefined && !grant.brands.includes(sale.brand)) {
    return `${sale.brand} is not among the brands this shop may take through this POS (${grant.brands.join(', ')}). Choose another payment method; nothing was charged.`;
  }
  if (grant.maxAmount !== null && sale.amount > grant.maxAmount) {
    return `This payment of ${money(sale.amount, sale.currency)} is over the ${money(grant.maxAmount, sale.currency)} this shop may take per payment through this POS. Nothing was charged.`;
  }
  if (grant.dailyLimit !== null && sale.spentToday !== undefined && sale.spentToday + sale.amount > grant.dailyLimit) {
    return `This payment of ${money(sale.amount, sale.currency)} would take this shop over its daily total of ${money(grant.dailyLimit, sale.currency)} through this POS (${money(sale.spentToday, sale.currency)} already taken today, UTC). Nothing was charged.`;
  }
  return null;
}

/** Where a grant stands now, as the console lists it. */
export function affiliateGrantState(grant: Pick<AffiliateGrantTerms, 'validFrom' | 'validUntil' | 'revokedAt'>, now: Date): 'ACTIVE' | 'SCHEDULED' | 'EXPIRED' | 'REVOKED' {
  if (grant.revokedAt && grant.revokedAt <= now) return 'REVOKED';
  if (now < grant.validFrom) return 'SCHEDULED';
  if (now > grant.validUntil) return 'EXPIRED';
  return 'ACTIVE';
}
