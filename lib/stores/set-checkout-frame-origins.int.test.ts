import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkoutFrameOrigins } from '@/lib/checkout/checkout-frame-origins';
import { db } from '@/lib/db/client';
import { MAX_CHECKOUT_FRAME_ORIGINS, setCheckoutFrameOrigins } from '@/lib/stores/set-checkout-frame-origins';
import { createStoreWithOwner } from '@/lib/testing/fixtures';
import { posApiClient, seedOrder } from '@/lib/testing/pos-api-fixtures';

const actorOf = (owner: { userId: string }) => ({ type: 'STORE_USER' as const, id: owner.userId });
const stored = async (storeId: string) => (await db().store.findUniqueOrThrow({ where: { id: storeId }, select: { checkoutFrameOrigins: true } })).checkoutFrameOrigins;
const audited = (storeId: string) => db().auditEvent.findMany({ where: { storeId, action: 'store.checkout_frame_origins_changed' }, orderBy: { createdAt: 'asc' } });

describe('setCheckoutFrameOrigins', () => {
  it('stores the origins in canonical form without duplicates, audits the change with both lists, and nothing when unchanged', async () => {
    const owner = await createStoreWithOwner();
    const input = { checkoutFrameOrigins: 'HTTPS://Shop.Example:443\r\n\n  http://127.0.0.1:8080 \nhttps://shop.example' };
    expect(await setCheckoutFrameOrigins({ storeId: owner.storeId, actor: actorOf(owner), input })).toEqual({ checkoutFrameOrigins: ['https://shop.example', 'http://127.0.0.1:8080'], changed: true });
    expect(await stored(owner.storeId)).toEqual(['https://shop.example', 'http://127.0.0.1:8080']);
    expect(await setCheckoutFrameOrigins({ storeId: owner.storeId, actor: actorOf(owner), input })).toMatchObject({ changed: false });
    expect(await setCheckoutFrameOrigins({ storeId: owner.storeId, actor: actorOf(owner), input: { checkoutFrameOrigins: '' } })).toEqual({ checkoutFrameOrigins: [], changed: true });
    const events = await audited(owner.storeId);
    expect(events.map((event) => event.data)).toEqual([
      { frameOriginsBefore: [], frameOriginsAfter: ['https://shop.example', 'http://127.0.0.1:8080'] },
      { frameOriginsBefore: ['https://shop.example', 'http://127.0.0.1:8080'], frameOriginsAfter: [] },
    ]);
    expect(events.every((event) => event.actorType === 'STORE_USER' && event.actorId === owner.userId)).toBe(true);
  });

  it('refuses anything but origins, and more than the bounded count, naming the line; nothing is stored', async () => {
    const owner = await createStoreWithOwner();
    for (const value of ['https://shop.example/pay', 'https://*.shop.example', 'http://shop.example', "'self'", '*', 'https://a.example;b']) {
      await expect(setCheckoutFrameOrigins({ storeId: owner.storeId, actor: actorOf(owner), input: { checkoutFrameOrigins: `https://fine.example\n${value}` } }), value).rejects.toMatchObject({
        code: 'validation_failed',
        fields: [{ path: 'checkoutFrameOrigins', message: expect.stringContaining(value) }],
      });
    }
    const tooMany = Array.from({ length: MAX_CHECKOUT_FRAME_ORIGINS + 1 }, (_, index) => `https://shop-${index}.example`).join('\n');
    await expect(setCheckoutFrameOrigins({ storeId: owner.storeId, actor: actorOf(owner), input: { checkoutFrameOrigins: tooMany } })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await stored(owner.storeId)).toEqual([]);
    expect(await audited(owner.storeId)).toEqual([]);
  });

  it('another store’s user changes nothing: not found', async () => {
    const owner = await createStoreWithOwner();
    const stranger = await createStoreWithOwner();
    await expect(setCheckoutFrameOrigins({ storeId: owner.storeId, actor: actorOf(stranger), input: { checkoutFrameOrigins: 'https://evil.example' } })).rejects.toMatchObject({ code: 'not_found' });
    expect(await stored(owner.storeId)).toEqual([]);
  });
});

describe('checkoutFrameOrigins', () => {
  it('answers the origins of the order’s store, of the affiliate for an affiliate’s sale, and none for a token that names nothing', async () => {
    const shop = await posApiClient();
    const affiliate = await createStoreWithOwner();
    await db().store.update({ where: { id: shop.storeId }, data: { checkoutFrameOrigins: ['https://grantor.example'] } });
    await db().store.update({ where: { id: affiliate.storeId }, data: { checkoutFrameOrigins: ['https://affiliate.example'] } });
    const own = await seedOrder({ storeId: shop.storeId, posId: shop.posId });
    const sold = await seedOrder({ storeId: shop.storeId, posId: shop.posId });
    await db().order.update({ where: { id: sold.id }, data: { affiliateStoreId: affiliate.storeId } });
    const tokenOf = async (orderId: string) => (await db().order.findUniqueOrThrow({ where: { id: orderId }, select: { checkoutToken: true } })).checkoutToken;
    expect(await checkoutFrameOrigins(await tokenOf(own.id))).toEqual(['https://grantor.example']);
    expect(await checkoutFrameOrigins(await tokenOf(sold.id))).toEqual(['https://affiliate.example']);
    expect(await checkoutFrameOrigins(randomBytes(32).toString('base64url'))).toEqual([]);
    expect(await checkoutFrameOrigins("x' OR '1'='1")).toEqual([]);
  });
});
