import type { Actor } from '@/lib/audit/record-audit-event';
import type { Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { formatMinorUnits, isSupportedCurrency } from '@/lib/payments/currencies';
import { requireChangeableStore } from '@/lib/stores/store-scope';
import { isUuid } from '@/lib/validation';

/**
 * The granting store for a change to its affiliate grants, inside the caller's transaction: a store the
 * actor may change (another is "not found"), not withdrawn, and a user of it who is its owner. Lending a POS
 * lends the store's merchant contracts, so staff may look but not grant or revoke.
 */
export async function requireGrantingOwner(tx: Tx, storeId: string, actor: Actor): Promise<{ id: string; name: string; status: string }> {
  const store = await requireChangeableStore(tx, storeId, actor);
  if (actor.type === 'STORE_USER') {
    const user = actor.id && isUuid(actor.id) ? await tx.storeUser.findFirst({ where: { id: actor.id, storeId: store.id }, select: { role: true } }) : null;
    if (user?.role !== 'OWNER') throw new AppError('owner_only', 'Only the store’s owner can let other stores use its POSes or withdraw that.');
  }
  const { name } = await tx.store.findUniqueOrThrow({ where: { id: store.id }, select: { name: true } });
  return { ...store, name };
}

/** A grant's limits in words, for the e-mail and the audit trail's readers. */
export function describeGrantTerms(grant: { currency: string | null; maxAmount: bigint | null; dailyLimit: bigint | null; brands: readonly string[]; validFrom: Date; validUntil: Date }): string[] {
  const money = (amount: bigint) => (grant.currency && isSupportedCurrency(grant.currency) ? `${formatMinorUnits(amount, grant.currency)} ${grant.currency}` : amount.toString());
  return [
    `Currency: ${grant.currency ?? 'any'}`,
    `Brands: ${grant.brands.join(', ')}`,
    `Most per payment: ${grant.maxAmount === null ? 'no limit' : money(grant.maxAmount)}`,
    `Most per day (UTC): ${grant.dailyLimit === null ? 'no limit' : money(grant.dailyLimit)}`,
    `Valid: ${grant.validFrom.toISOString().slice(0, 10)} to ${grant.validUntil.toISOString().slice(0, 10)} (UTC, both days included)`,
  ];
}
