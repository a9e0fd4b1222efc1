import { checkAffiliateSale } from '@/lib/affiliates/check-affiliate-sale';
import type { Tx } from '@/lib/db/client';
import { AppError, isAppError } from '@/lib/errors';
import { assertStoreCanAuthorize } from '@/lib/stores/assert-store-can-authorize';
import { isUuid } from '@/lib/validation';

const notGranted = () => new AppError('not_found', 'POS not found: no store has granted yours the use of a POS with this id. Check the viaPosId on your Affiliates page.');

/**
 * For an order a shop registers through another store's POS (`viaPosId`): the grant that lets the shop's
 * store sell there, checked for the order's amount and currency (period, currency, maximum per payment;
 * the brand and the daily total are checked again at the checkout, when they are known). A POS the store
 * holds no grant for — another store's, or another POS of a grantor — is "not found", like one that does
 * not exist.
 */
export async function findGrantForOrder(tx: Tx, input: { affiliateStoreId: string; viaPosId: string; amount: bigint; currency: string; now: Date }): Promise<{ grantId: string; grantorStoreId: string; posId: string }> {
  if (!isUuid(input.viaPosId)) throw notGranted();
  const grant = await tx.affiliateGrant.findFirst({
    where: { posId: input.viaPosId, affiliateStoreId: input.affiliateStoreId, grantorStoreId: { not: input.affiliateStoreId } },
    select: { id: true, grantorStoreId: true, posId: true },
  });
  if (!grant) throw notGranted();
  await checkAffiliateSale(tx, { grantId: grant.id, affiliateStoreId: input.affiliateStoreId, amount: input.amount, currency: input.currency, now: input.now });
  try {
    await assertStoreCanAuthorize(tx, grant.grantorStoreId);
  } catch (error) {
    if (isAppError(error) && error.code === 'store_inactive') throw new AppError('store_inactive', 'The store that owns this POS cannot take payments now, so no order can be placed through it.');
    throw error;
  }
  return { grantId: grant.id, grantorStoreId: grant.grantorStoreId, posId: grant.posId };
}
