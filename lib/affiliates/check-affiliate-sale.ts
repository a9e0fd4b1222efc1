import { affiliateLimitProblem, statusesCountedAgainstDailyLimit } from '@/lib/affiliates/affiliate-limits';
import { utcDayOf } from '@/lib/affiliates/schemas';
import type { Db, Tx } from '@/lib/db/client';
import { asSqlClient, joinSql, sql, type SqlClient } from '@/lib/db/sql';
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
  client: Db | Tx | SqlClient,
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
  // In SQL: the checkout's claim runs it inside its transaction on the pool (lib/db/sql.ts).
  const statements = asSqlClient(client);
  const [grant] = await statements.rows<{
    id: string;
    maxAmount: bigint | null;
    dailyLimit: bigint | null;
    currency: string | null;
    brands: string[];
    validFrom: Date;
    validUntil: Date;
    revokedAt: Date | null;
  }>(sql`
    SELECT "id", "maxAmount", "dailyLimit", "currency", "brands", "validFrom", "validUntil", "revokedAt"
      FROM "AffiliateGrant" WHERE "id" = ${input.grantId}::uuid AND "affiliateStoreId" = ${input.affiliateStoreId}::uuid`);
  if (!grant) throw new AppError('affiliate_limit', 'This shop no longer has permission to sell through this POS. Nothing was charged.');
  await assertStoreCanAuthorize(statements, input.affiliateStoreId);

  let spentToday: bigint | undefined;
  if (input.dailyTotal && grant.dailyLimit !== null) {
    const { start, end } = utcDayOf(input.dailyTotal.day);
    const excluded = input.dailyTotal.excludePaymentId ?? null;
    const [total] = await statements.rows<{ spent: bigint }>(sql`
      SELECT COALESCE(SUM("amount"), 0)::bigint AS "spent" FROM "Payment"
       WHERE "affiliateGrantId" = ${grant.id}::uuid AND "affiliateStoreId" = ${input.affiliateStoreId}::uuid
         AND "status"::text IN (${joinSql(statusesCountedAgainstDailyLimit)})
         AND "createdAt" >= ${start}::timestamp AND "createdAt" < ${end}::timestamp
         AND (${excluded}::uuid IS NULL OR "id" <> ${excluded}::uuid)`);
    spentToday = total?.spent ?? 0n;
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
