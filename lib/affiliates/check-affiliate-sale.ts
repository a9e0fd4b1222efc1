import { affiliateLimitProblem, statusesCountedAgainstDailyLimit } from '@/lib/affiliates/affiliate-limits';
import { utcDayOf } from '@/lib/affiliates/schemas';
import type { Db, Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { assertStoreCanAuthorize } from '@/lib/stores/assert-store-can-authorize';

/**
 * Checks a sale an affiliated store makes through another store's POS against its grant, and that the
 * affiliate itself may still take payments (a suspended store sells through nobody's POS). Refusals are
 * AppError('affiliate_limit') with the reason.
 *
 * With `dailyTotal`, what the affiliate already authorised under the grant on the sale's UTC day is added
 * up and the sale must fit beside it. That read is only race-free under the grant's row lock, which the
 * caller takes in the same transaction (see lib/checkout/claim-payment.ts); without the lock it is an early,
 * advisory refusal.
 */
export async function checkAffiliateSale(
  client: Db | Tx,
  input: {
    grantId: string;
    affiliateStoreId: string;
    amount: bigint;
    currency: string;
    brand?: string;
    now: Date;
    dailyTotal?: { day: Date; excludePaymentId?: string };
  },
): Promise<void> {
  const grant = await client.affiliateGrant.findFirst({
    where: { id: input.grantId, affiliateStoreId: input.affiliateStoreId },
    select: { id: true, maxAmount: true, dailyLimit: true, currency: true, brands: true, validFrom: true, validUntil: true, revokedAt: true },
  });
  if (!grant) throw new AppError('affiliate_limit', 'This shop no longer has permission to sell through this POS. Nothing was charged.');
  await assertStoreCanAuthorize(client, input.affiliateStoreId);

  let spentToday: bigint | undefined;
  if (input.dailyTotal && grant.dailyLimit !== null) {
    const { start, end } = utcDayOf(input.dailyTotal.day);
    const total = await client.payment.aggregate({
      where: {
        affiliateGrantId: grant.id,
        affiliateStoreId: input.affiliateStoreId,
        status: { in: statusesCountedAgainstDailyLimit },
        createdAt: { gte: start, lt: end },
        ...(input.dailyTotal.excludePaymentId ? { id: { not: input.dailyTotal.excludePaymentId } } : {}),
      },
      _sum: { amount: true },
    });
    spentToday = total._sum.amount ?? 0n;
  }
  const problem = affiliateLimitProblem(grant, {
    amount: input.amount,
    currency: input.currency,
    now: input.now,
    ...(input.brand !== undefined ? { brand: input.brand } : {}),
    ...(spentToday !== undefined ? { spentToday } : {}),
  });
  if (problem) throw new AppError('affiliate_limit', problem);
}
