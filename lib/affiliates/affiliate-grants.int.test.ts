import { describe, expect, it } from 'vitest';
import { grantAffiliate } from '@/lib/affiliates/grant-affiliate';
import { listAffiliateGrants } from '@/lib/affiliates/list-affiliate-grants';
import { listLendablePoses } from '@/lib/affiliates/list-lendable-poses';
import { revokeAffiliateGrant } from '@/lib/affiliates/revoke-affiliate-grant';
import { hashPassword } from '@/lib/auth/password';
import { db } from '@/lib/db/client';
import { createStoreWithOwner, outboxEmailsTo, uniqueEmail } from '@/lib/testing/fixtures';
import { posApiClient } from '@/lib/testing/pos-api-fixtures';

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A grantor whose POS takes VISA and MASTER, and another store to lend it to. */
async function grantorAndAffiliate() {
  const grantor = await posApiClient();
  const affiliate = await createStoreWithOwner();
  const input = { affiliateStoreId: affiliate.storeId, posId: grantor.posId, currency: 'JPY', maxAmount: '50000', dailyLimit: '100000', brands: ['VISA'], validFrom: today(), validUntil: inDays(30) };
  return { grantor, affiliate, input };
}

describe('affiliate grants', () => {
  it('lets the owner lend a POS within limits: stored, audited for both stores, the affiliate e-mailed its POS id, listed both ways', async () => {
    const { grantor, affiliate, input } = await grantorAndAffiliate();

    const granted = await grantAffiliate({ storeId: grantor.storeId, actor: grantor.actor, input: { ...input, affiliateStoreId: ` ${affiliate.storeId.toUpperCase()} `, brands: ['VISA', 'VISA'] } });

    expect(granted).toMatchObject({ affiliateName: affiliate.storeName, posName: 'Web shop', renewed: false });
    const row = await db().affiliateGrant.findUniqueOrThrow({ where: { id: granted.grantId } });
    expect(row).toMatchObject({ grantorStoreId: grantor.storeId, affiliateStoreId: affiliate.storeId, posId: grantor.posId, currency: 'JPY', maxAmount: 50000n, dailyLimit: 100000n, brands: ['VISA'], revokedAt: null });
    expect(row.validFrom.toISOString()).toBe(`${today()}T00:00:00.000Z`);
    expect(row.validUntil.toISOString()).toBe(`${inDays(30)}T23:59:59.999Z`);
    expect(await db().auditEvent.findFirstOrThrow({ where: { storeId: grantor.storeId, action: 'affiliate.granted' } })).toMatchObject({ actorType: 'STORE_USER', targetId: granted.grantId, data: { otherStoreName: affiliate.storeName, brands: ['VISA'], maxAmount: '50000' } });
    expect(await db().auditEvent.count({ where: { storeId: affiliate.storeId, action: 'affiliate.grant_received', targetId: granted.grantId } })).toBe(1);
    const [mail] = await outboxEmailsTo(affiliate.email);
    expect(mail?.email.subject).toContain('Web shop');
    expect(mail?.email.text).toContain(grantor.posId);

    const forGrantor = await listAffiliateGrants(grantor.storeId);
    expect(forGrantor.given).toMatchObject([{ id: granted.grantId, otherStore: { id: affiliate.storeId, name: affiliate.storeName }, pos: { id: grantor.posId }, state: 'ACTIVE', usedToday: 0n }]);
    expect(forGrantor.received).toEqual([]);
    const forAffiliate = await listAffiliateGrants(affiliate.storeId);
    expect(forAffiliate.received).toMatchObject([{ id: granted.grantId, otherStore: { id: grantor.storeId }, pos: { id: grantor.posId, name: 'Web shop' } }]);
    expect(forAffiliate.given).toEqual([]);
    expect(await listLendablePoses(grantor.storeId)).toEqual([{ id: grantor.posId, name: 'Web shop', brands: ['MASTER', 'VISA'] }]);
  });

  it.each([
    ['its own store', (ids: { grantor: string; affiliate: string }) => ({ affiliateStoreId: ids.grantor }), 'affiliateStoreId'],
    ['a store id nobody has', () => ({ affiliateStoreId: '00000000-0000-4000-8000-000000000000' }), 'affiliateStoreId'],
    ['not a store id', () => ({ affiliateStoreId: 'Kumo Coffee' }), 'affiliateStoreId'],
    ['a brand the POS does not take', () => ({ brands: ['JCB'] }), 'brands'],
    ['no brand', () => ({ brands: [] }), 'brands'],
    ['a maximum per payment above the daily total', () => ({ maxAmount: '200000' }), 'maxAmount'],
    ['a zero amount', () => ({ dailyLimit: '0' }), 'dailyLimit'],
    ['an amount with decimals', () => ({ maxAmount: '12.50' }), 'maxAmount'],
    ['a last day before the first', () => ({ validFrom: inDays(5), validUntil: inDays(2) }), 'validUntil'],
    ['a period already over', () => ({ validFrom: inDays(-10), validUntil: inDays(-1) }), 'validUntil'],
    ['an impossible date', () => ({ validUntil: '2031-02-30' }), 'validUntil'],
    ['an unsupported currency', () => ({ currency: 'CHF' }), 'currency'],
  ])('refuses %s with the field, writing nothing', async (_label, change, path) => {
    const { grantor, affiliate, input } = await grantorAndAffiliate();
    const attempt = grantAffiliate({ storeId: grantor.storeId, actor: grantor.actor, input: { ...input, ...change({ grantor: grantor.storeId, affiliate: affiliate.storeId }) } });
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed', fields: expect.arrayContaining([expect.objectContaining({ path })]) });
    expect(await db().affiliateGrant.count({ where: { grantorStoreId: grantor.storeId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { storeId: grantor.storeId, action: { startsWith: 'affiliate.' } } })).toBe(0);
  });

  it('lets only the owner grant or revoke; another store (the affiliate too) finds neither the store nor the grant', async () => {
    const { grantor, affiliate, input } = await grantorAndAffiliate();
    const staff = await db().storeUser.create({
      data: { storeId: grantor.storeId, email: uniqueEmail('staff'), name: 'Staff', role: 'STAFF', passwordHash: await hashPassword('staff password 123') },
    });
    await expect(grantAffiliate({ storeId: grantor.storeId, actor: { type: 'STORE_USER', id: staff.id }, input })).rejects.toMatchObject({ code: 'owner_only' });
    await expect(grantAffiliate({ storeId: grantor.storeId, actor: { type: 'STORE_USER', id: affiliate.userId }, input })).rejects.toMatchObject({ code: 'not_found' });
    // Someone else's POS is not lendable, even by its id.
    const other = await posApiClient();
    await expect(grantAffiliate({ storeId: grantor.storeId, actor: grantor.actor, input: { ...input, posId: other.posId } })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().affiliateGrant.count({ where: { grantorStoreId: grantor.storeId } })).toBe(0);

    const { grantId } = await grantAffiliate({ storeId: grantor.storeId, actor: grantor.actor, input });
    await expect(revokeAffiliateGrant({ storeId: grantor.storeId, actor: { type: 'STORE_USER', id: staff.id }, grantId })).rejects.toMatchObject({ code: 'owner_only' });
    await expect(revokeAffiliateGrant({ storeId: affiliate.storeId, actor: { type: 'STORE_USER', id: affiliate.userId }, grantId })).rejects.toMatchObject({ code: 'not_found' });
    await expect(revokeAffiliateGrant({ storeId: grantor.storeId, actor: { type: 'STORE_USER', id: affiliate.userId }, grantId })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().affiliateGrant.findUniqueOrThrow({ where: { id: grantId } })).toMatchObject({ revokedAt: null });
  });

  it('refuses a second grant while one stands; after a revocation (audited for both, e-mailed) the grant is renewed in place', async () => {
    const { grantor, affiliate, input } = await grantorAndAffiliate();
    const { grantId } = await grantAffiliate({ storeId: grantor.storeId, actor: grantor.actor, input });
    await expect(grantAffiliate({ storeId: grantor.storeId, actor: grantor.actor, input: { ...input, maxAmount: '1000' } })).rejects.toMatchObject({ code: 'conflict' });

    await revokeAffiliateGrant({ storeId: grantor.storeId, actor: grantor.actor, grantId });

    expect((await db().affiliateGrant.findUniqueOrThrow({ where: { id: grantId } })).revokedAt).toBeInstanceOf(Date);
    expect(await db().auditEvent.count({ where: { storeId: grantor.storeId, action: 'affiliate.revoked', targetId: grantId } })).toBe(1);
    expect(await db().auditEvent.count({ where: { storeId: affiliate.storeId, action: 'affiliate.grant_revoked', targetId: grantId } })).toBe(1);
    expect((await outboxEmailsTo(affiliate.email)).map((mail) => mail.email.subject)).toEqual([expect.stringContaining('lets you sell'), expect.stringContaining('withdrew')]);
    expect((await listAffiliateGrants(affiliate.storeId)).received).toMatchObject([{ id: grantId, state: 'REVOKED' }]);
    await expect(revokeAffiliateGrant({ storeId: grantor.storeId, actor: grantor.actor, grantId })).rejects.toMatchObject({ code: 'invalid_state_transition' });

    const renewed = await grantAffiliate({ storeId: grantor.storeId, actor: grantor.actor, input: { ...input, maxAmount: '1000', dailyLimit: '' } });
    expect(renewed).toMatchObject({ grantId, renewed: true });
    expect(await db().affiliateGrant.findUniqueOrThrow({ where: { id: grantId } })).toMatchObject({ revokedAt: null, maxAmount: 1000n, dailyLimit: null });
  });
});
