import { affiliateGrantState, statusesCountedAgainstDailyLimit } from '@/lib/affiliates/affiliate-limits';
import { utcDayOf } from '@/lib/affiliates/schemas';
import { db } from '@/lib/db/client';
import { isUuid } from '@/lib/validation';

export interface AffiliateGrantView {
  id: string;
  /** The other store: the affiliate for a grant given, the grantor for one received. */
  otherStore: { id: string; name: string };
  pos: { id: string; name: string };
  currency: string | null;
  brands: string[];
  maxAmount: bigint | null;
  dailyLimit: bigint | null;
  validFrom: Date;
  validUntil: Date;
  revokedAt: Date | null;
  state: ReturnType<typeof affiliateGrantState>;
  /** What the affiliate has authorising or authorised under the grant today (UTC), as the daily total counts it. */
  usedToday: bigint;
}

const grantSelect = {
  id: true,
  currency: true,
  brands: true,
  maxAmount: true,
  dailyLimit: true,
  validFrom: true,
  validUntil: true,
  revokedAt: true,
  createdAt: true,
  pos: { select: { id: true, name: true } },
  grantor: { select: { id: true, name: true } },
  affiliate: { select: { id: true, name: true } },
} as const;

/**
 * A store's affiliate grants, both ways: those it gave (other stores selling through its POSes) and those it
 * received (its shop selling through other stores' POSes, with the POS id to send as `viaPosId`). Each side
 * sees the other store's name and the grant's terms, nothing else of the other store.
 */
export async function listAffiliateGrants(storeId: string, now = new Date()): Promise<{ given: AffiliateGrantView[]; received: AffiliateGrantView[] }> {
  if (!isUuid(storeId)) return { given: [], received: [] };
  const [given, received] = await Promise.all([
    db().affiliateGrant.findMany({ where: { grantorStoreId: storeId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], select: grantSelect }),
    db().affiliateGrant.findMany({ where: { affiliateStoreId: storeId }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], select: grantSelect }),
  ]);
  const ids = [...given, ...received].map((grant) => grant.id);
  const { start, end } = utcDayOf(now);
  const usage = ids.length
    ? await db().payment.groupBy({
        by: ['affiliateGrantId'],
        where: { affiliateGrantId: { in: ids }, status: { in: statusesCountedAgainstDailyLimit }, createdAt: { gte: start, lt: end } },
        _sum: { amount: true },
      })
    : [];
  const usedToday = new Map(usage.map((row) => [row.affiliateGrantId, row._sum.amount ?? 0n]));
  const view = (grant: (typeof given)[number], otherStore: { id: string; name: string }): AffiliateGrantView => ({
    id: grant.id,
    otherStore,
    pos: grant.pos,
    currency: grant.currency,
    brands: grant.brands,
    maxAmount: grant.maxAmount,
    dailyLimit: grant.dailyLimit,
    validFrom: grant.validFrom,
    validUntil: grant.validUntil,
    revokedAt: grant.revokedAt,
    state: affiliateGrantState(grant, now),
    usedToday: usedToday.get(grant.id) ?? 0n,
  });
  return { given: given.map((grant) => view(grant, grant.affiliate)), received: received.map((grant) => view(grant, grant.grantor)) };
}
