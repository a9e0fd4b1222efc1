import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { affiliatePaymentTags } from '@/lib/affiliates/affiliate-payment-tags';
import { grantAffiliate } from '@/lib/affiliates/grant-affiliate';
import { revokeAffiliateGrant } from '@/lib/affiliates/revoke-affiliate-grant';
import type { Actor } from '@/lib/audit/record-audit-event';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { getCheckoutPage } from '@/lib/checkout/get-checkout-page';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { db } from '@/lib/db/client';
import { getPaymentDetail } from '@/lib/payments/get-payment-detail';
import { listStorePayments } from '@/lib/payments/list-store-payments';
import { createPos } from '@/lib/pos/create-pos';
import { createPosApiKey } from '@/lib/pos/create-pos-api-key';
import { card, customer, ledgerOf, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { createStoreWithOwner } from '@/lib/testing/fixtures';
import { linkAcquirer, orderBody } from '@/lib/testing/pos-api-fixtures';
import { posApiRouteFetch } from '@/lib/testing/pos-api-route-fetch';
import { createEnrolledStore, startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

/**
 * Affiliate limits, end to end: a store (the grantor) registered at a simulated acquirer lends its POS to
 * another store, whose shop places orders there with its own POS API key and whose customers pay at the
 * hosted checkout. Every refusal happens before any gateway: the acquirer's ledger is the witness.
 */

type Json = Record<string, unknown>;

let world: SimWorld;
let grantor: Awaited<ReturnType<typeof createEnrolledStore>> & { actor: Actor; otherPosId: string; authorization: string };
const fetchApi = posApiRouteFetch();

async function api(authorization: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetchApi(`http://localhost${path}`, {
    method,
    headers: { authorization, ...(method === 'POST' ? { 'content-type': 'application/json', 'idempotency-key': randomUUID() } : {}) },
    ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

/** A store with a POS and an API key for its shop; not registered with any acquirer of its own. */
async function shop() {
  const owner = await createStoreWithOwner();
  const actor: Actor = { type: 'STORE_USER', id: owner.userId };
  const { posId } = await createPos({ storeId: owner.storeId, actor, input: { name: 'Web shop' } });
  const { apiKey } = await createPosApiKey({ storeId: owner.storeId, actor, posId, input: { label: 'Shop server' } });
  return { ...owner, actor, posId, authorization: `Bearer ${apiKey}` };
}

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A new affiliate of the grantor, with its own grant (daily totals never mix between tests). */
async function affiliateWithGrant(terms: Record<string, unknown> = {}) {
  const affiliate = await shop();
  const { grantId } = await grantAffiliate({
    storeId: grantor.storeId,
    actor: grantor.actor,
    input: { affiliateStoreId: affiliate.storeId, posId: grantor.posId, currency: 'JPY', maxAmount: '20000', dailyLimit: '30000', brands: ['VISA'], validFrom: today(), validUntil: inDays(30), ...terms },
  });
  return { ...affiliate, grantId };
}

/** An order through the grantor's POS, as the affiliate's shop registers it. */
async function orderVia(affiliate: { authorization: string }, amount: number, overrides: Json = {}) {
  return api(affiliate.authorization, 'POST', '/api/v1/pos/orders', orderBody({ lineItems: [{ name: 'Tea set', unitAmount: amount, quantity: 1 }], viaPosId: grantor.posId, ...overrides }));
}

const tokenOf = (order: Json) => String(order.checkoutUrl).split('/').at(-1)!;

async function paymentOf(orderId: string) {
  return db().payment.findFirstOrThrow({ where: { orderId }, orderBy: { createdAt: 'desc' }, include: { events: true } });
}

beforeAll(async () => {
  world = await startSimWorld();
  const enrolled = await createEnrolledStore(world, { storeName: 'Test Books' });
  const actor: Actor = { type: 'STORE_USER', id: enrolled.userId };
  await issuePosCertificates({ storeId: enrolled.storeId, posAcquirerId: enrolled.posAcquirerId, actor, acquisitionNumber: enrolled.acquisitionNumber });
  const other = await createPos({ storeId: enrolled.storeId, actor, input: { name: 'Phone orders' } });
  const { apiKey } = await createPosApiKey({ storeId: enrolled.storeId, actor, posId: enrolled.posId, input: { label: 'Own shop' } });
  grantor = { ...enrolled, actor, otherPosId: other.posId, authorization: `Bearer ${apiKey}` };
});

afterAll(async () => {
  await world?.stop();
});

describe('affiliate limits', () => {
  it('authorises an affiliate’s sale within its limits on the grantor’s POS and contract; both stores see it, tagged, and the affiliate’s key reads and captures it', async () => {
    const affiliate = await affiliateWithGrant();

    const created = await orderVia(affiliate, 12_800, { shopOrderRef: 'AFF-1' });

    expect(created.status).toBe(201);
    const order = created.body.order as Json;
    expect(order).toMatchObject({ shopOrderRef: 'AFF-1', amount: 12_800, viaPosId: grantor.posId });
    expect(await db().order.findUniqueOrThrow({ where: { id: String(order.id) } })).toMatchObject({
      storeId: grantor.storeId,
      posId: grantor.posId,
      affiliateStoreId: affiliate.storeId,
      affiliatePosId: affiliate.posId,
      affiliateGrantId: affiliate.grantId,
    });
    expect(await db().auditEvent.count({ where: { storeId: affiliate.storeId, action: 'order.created', targetId: String(order.id) } })).toBe(1);
    expect(await db().auditEvent.count({ where: { storeId: grantor.storeId, action: 'affiliate.order_created', targetId: String(order.id) } })).toBe(1);

    const token = tokenOf(order);
    const { preq } = await walletPurchase(token, String(order.id), card('4111111111111111'));
    expect(await payCheckout({ token, preq: preq.raw, customer })).toMatchObject({ status: 'approved' });

    const payment = await paymentOf(String(order.id));
    expect(payment).toMatchObject({ status: 'AUTHORIZED', storeId: grantor.storeId, posId: grantor.posId, affiliateStoreId: affiliate.storeId, affiliateGrantId: affiliate.grantId, acquirerId: world.acquirerIds['ACQ-CARD'] });
    expect((await ledgerOf(world, grantor.merchantNumber, payment.xid)).map((entry) => entry.type)).toEqual(['authorization']);

    // The affiliate's shop reads it with its own key, by id, by its reference and in its list, and captures it.
    expect(await api(affiliate.authorization, 'GET', `/api/v1/pos/orders/${String(order.id)}`)).toMatchObject({ status: 200, body: { order: { viaPosId: grantor.posId, payments: [{ id: payment.id, status: 'AUTHORIZED' }] } } });
    expect(await api(affiliate.authorization, 'GET', '/api/v1/pos/orders/by-ref/AFF-1')).toMatchObject({ status: 200, body: { order: { id: order.id } } });
    expect((await api(affiliate.authorization, 'GET', '/api/v1/pos/payments')).body).toMatchObject({ payments: [{ id: payment.id }] });
    expect(await api(affiliate.authorization, 'GET', `/api/v1/pos/payments/${payment.id}`)).toMatchObject({ status: 200, body: { payment: { id: payment.id } } });
    const captured = await api(affiliate.authorization, 'POST', `/api/v1/pos/payments/${payment.id}/capture`, {});
    expect(captured).toMatchObject({ status: 200, body: { payment: { status: 'CAPTURED', capturedAmount: 12_800 } } });
    expect((await ledgerOf(world, grantor.merchantNumber, payment.xid)).map((entry) => entry.type)).toEqual(['authorization', 'capture']);

    // The grantor's own shop does not see or settle the affiliate's sale through its API…
    expect((await api(grantor.authorization, 'GET', `/api/v1/pos/orders/${String(order.id)}`)).status).toBe(404);
    expect((await api(grantor.authorization, 'GET', '/api/v1/pos/payments')).body).toMatchObject({ payments: [] });
    expect((await api(grantor.authorization, 'POST', `/api/v1/pos/payments/${payment.id}/refunds`, {})).status).toBe(404);
    // …but both consoles list it, tagged, and open it.
    const grantorList = await listStorePayments({ storeId: grantor.storeId, actor: grantor.actor, query: {} });
    expect(grantorList.payments.map((row) => row.id)).toContain(payment.id);
    expect((await affiliatePaymentTags(grantor.storeId, grantorList.payments)).get(payment.id)).toBe(`affiliate: ${affiliate.storeName}`);
    const affiliateList = await listStorePayments({ storeId: affiliate.storeId, actor: affiliate.actor, query: {} });
    expect(affiliateList.payments.map((row) => row.id)).toEqual([payment.id]);
    expect((await affiliatePaymentTags(affiliate.storeId, affiliateList.payments)).get(payment.id)).toBe('via Test Books POS');
    expect((await listStorePayments({ storeId: affiliate.storeId, actor: affiliate.actor, query: { posId: affiliate.posId, shopOrderRef: 'AFF-1' } })).payments.map((row) => row.id)).toEqual([payment.id]);
    await expect(getPaymentDetail(affiliate.storeId, payment.id)).resolves.toMatchObject({ id: payment.id });
    await expect(getPaymentDetail(grantor.storeId, payment.id)).resolves.toMatchObject({ id: payment.id });
    const stranger = await shop();
    await expect(getPaymentDetail(stranger.storeId, payment.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listStorePayments({ storeId: stranger.storeId, actor: stranger.actor, query: {} })).payments).toEqual([]);
    // The affiliate's shop ordered it, so its webhook events are the affiliate's, for the affiliate's POS.
    const events = await db().webhookEvent.findMany({ where: { paymentId: payment.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((event) => [event.type, event.storeId, event.posId])).toEqual([
      ['payment.authorized', affiliate.storeId, affiliate.posId],
      ['payment.captured', affiliate.storeId, affiliate.posId],
    ]);
  });

  it('refuses an order over the maximum per payment when it is registered, writing nothing', async () => {
    const affiliate = await affiliateWithGrant();

    const answer = await orderVia(affiliate, 20_001);

    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'affiliate_limit', message: expect.stringContaining('20000 JPY') });
    expect(await db().order.count({ where: { affiliateStoreId: affiliate.storeId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { storeId: affiliate.storeId, action: 'order.created' } })).toBe(0);
    expect((await orderVia(affiliate, 20_000)).status).toBe(201);
    // Another currency than the grant's is refused the same way.
    expect((await orderVia(affiliate, 100, { currency: 'USD' })).body.error).toMatchObject({ code: 'affiliate_limit', message: expect.stringContaining('JPY') });
  });

  it('refuses at the checkout, before any gateway, a payment that would take the affiliate over its daily total; concurrent payments cannot exceed it together', async () => {
    const affiliate = await affiliateWithGrant({ maxAmount: '20000', dailyLimit: '30000' });
    const first = (await orderVia(affiliate, 18_000)).body.order as Json;
    const second = (await orderVia(affiliate, 15_000)).body.order as Json;
    // Both customers start paying while nothing is authorised yet.
    const firstPurchase = await walletPurchase(tokenOf(first), String(first.id), card('4111111111111111'));
    const secondPurchase = await walletPurchase(tokenOf(second), String(second.id), card('4111111111111111'));

    expect(await payCheckout({ token: tokenOf(first), preq: firstPurchase.preq.raw, customer })).toMatchObject({ status: 'approved' });
    const refused = payCheckout({ token: tokenOf(second), preq: secondPurchase.preq.raw, customer });

    await expect(refused).rejects.toMatchObject({ code: 'affiliate_limit', message: expect.stringContaining('daily total of 30000 JPY') });
    const payment = await paymentOf(String(second.id));
    expect(payment.status).toBe('PENDING');
    expect(payment.events.find((event) => event.kind === 'refused')).toMatchObject({ code: 'affiliate_limit' });
    expect(await ledgerOf(world, grantor.merchantNumber, payment.xid)).toEqual([]);
    // A new attempt is refused when it starts, before the customer types a card number.
    await expect(walletPurchase(tokenOf(second), String(second.id), card('4111111111111111'))).rejects.toMatchObject({ code: 'affiliate_limit' });

    // Two payments that each fit alone, claimed at once: one is authorised, the other refused.
    const racer = await affiliateWithGrant({ maxAmount: '20000', dailyLimit: '30000' });
    const orders = [(await orderVia(racer, 16_000)).body.order as Json, (await orderVia(racer, 16_000)).body.order as Json];
    const purchases = await Promise.all(orders.map((order) => walletPurchase(tokenOf(order), String(order.id), card('4111111111111111'))));
    const results = await Promise.allSettled(orders.map((order, index) => payCheckout({ token: tokenOf(order), preq: purchases[index]!.preq.raw, customer })));
    expect(results.filter((result) => result.status === 'fulfilled' && result.value.status === 'approved')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected')).toMatchObject([{ reason: { code: 'affiliate_limit' } }]);
    const ledger = await ledgerOf(world, grantor.merchantNumber);
    const xids = await Promise.all(orders.map(async (order) => (await paymentOf(String(order.id))).xid));
    expect(ledger.filter((entry) => xids.includes(entry.xid))).toHaveLength(1);
  });

  it('refuses a brand outside the grant: not offered on the checkout page, refused when the payment starts, and again when it is claimed', async () => {
    const affiliate = await affiliateWithGrant({ brands: ['MASTER'] });
    const order = (await orderVia(affiliate, 5_000)).body.order as Json;

    expect(await getCheckoutPage({ token: tokenOf(order) })).toMatchObject({ state: 'payable', brands: ['MASTER'] });
    await expect(walletPurchase(tokenOf(order), String(order.id), card('4111111111111111'))).rejects.toMatchObject({ code: 'affiliate_limit', message: expect.stringContaining('VISA is not among the brands') });

    // The grant narrowed between the start of the payment and its claim.
    const narrowed = await affiliateWithGrant({ brands: ['VISA', 'MASTER'] });
    const later = (await orderVia(narrowed, 5_000)).body.order as Json;
    const { preq } = await walletPurchase(tokenOf(later), String(later.id), card('4111111111111111'));
    await db().affiliateGrant.update({ where: { id: narrowed.grantId }, data: { brands: ['MASTER'] } });
    await expect(payCheckout({ token: tokenOf(later), preq: preq.raw, customer })).rejects.toMatchObject({ code: 'affiliate_limit' });
    expect(await ledgerOf(world, grantor.merchantNumber, (await paymentOf(String(later.id))).xid)).toEqual([]);
  });

  it('refuses an expired or a withdrawn grant, at order creation and at the checkout', async () => {
    const expired = await affiliateWithGrant();
    const pending = (await orderVia(expired, 5_000)).body.order as Json;
    const { preq: expiredPreq } = await walletPurchase(tokenOf(pending), String(pending.id), card('4111111111111111'));
    await db().affiliateGrant.update({ where: { id: expired.grantId }, data: { validFrom: new Date(Date.now() - 10 * 86_400_000), validUntil: new Date(Date.now() - 1000) } });
    expect((await orderVia(expired, 5_000)).body.error).toMatchObject({ code: 'affiliate_limit', message: expect.stringContaining('ended') });
    await expect(payCheckout({ token: tokenOf(pending), preq: expiredPreq.raw, customer })).rejects.toMatchObject({ code: 'affiliate_limit' });
    expect(await ledgerOf(world, grantor.merchantNumber, (await paymentOf(String(pending.id))).xid)).toEqual([]);

    const withdrawn = await affiliateWithGrant();
    const open = (await orderVia(withdrawn, 5_000)).body.order as Json;
    const { preq } = await walletPurchase(tokenOf(open), String(open.id), card('4111111111111111'));
    await revokeAffiliateGrant({ storeId: grantor.storeId, actor: grantor.actor, grantId: withdrawn.grantId });
    await expect(payCheckout({ token: tokenOf(open), preq: preq.raw, customer })).rejects.toMatchObject({ code: 'affiliate_limit', message: expect.stringContaining('withdrawn') });
    expect(await ledgerOf(world, grantor.merchantNumber, (await paymentOf(String(open.id))).xid)).toEqual([]);
    expect((await orderVia(withdrawn, 5_000)).body.error).toMatchObject({ code: 'affiliate_limit' });
  });

  it('lets no third store use the grant, and no other POS of the grantor be used: both are not found', async () => {
    const affiliate = await affiliateWithGrant();
    const third = await shop();

    const byThird = await orderVia(third, 5_000);
    expect(byThird.status).toBe(404);
    expect(byThird.body.error).toMatchObject({ code: 'not_found' });
    const otherPos = await orderVia(affiliate, 5_000, { viaPosId: grantor.otherPosId });
    expect(otherPos.status).toBe(404);
    expect(await db().order.count({ where: { OR: [{ affiliateStoreId: third.storeId }, { posId: grantor.otherPosId }] } })).toBe(0);

    // Nor can the third store read or settle the affiliate's sale.
    const order = (await orderVia(affiliate, 5_000)).body.order as Json;
    expect((await api(third.authorization, 'GET', `/api/v1/pos/orders/${String(order.id)}`)).status).toBe(404);
    const { preq } = await walletPurchase(tokenOf(order), String(order.id), card('4111111111111111'));
    await payCheckout({ token: tokenOf(order), preq: preq.raw, customer });
    const payment = await paymentOf(String(order.id));
    expect((await api(third.authorization, 'POST', `/api/v1/pos/payments/${payment.id}/void`, {})).status).toBe(404);
    expect((await api(third.authorization, 'GET', `/api/v1/pos/payments/${payment.id}`)).status).toBe(404);
  });

  it('keeps one reference per order for the affiliate’s shop, through whichever POS it sells', async () => {
    const affiliate = await affiliateWithGrant();
    expect((await orderVia(affiliate, 1_000, { shopOrderRef: 'REF-ONE' })).status).toBe(201);
    // Its own POS (registered with an acquirer of its own here) cannot take the reference again…
    await linkAcquirer({ storeId: affiliate.storeId, posId: affiliate.posId, status: 'REGISTERED' });
    const own = await api(affiliate.authorization, 'POST', '/api/v1/pos/orders', orderBody({ shopOrderRef: 'REF-ONE' }));
    expect(own.status).toBe(409);
    expect(own.body.error).toMatchObject({ code: 'conflict' });
    // …nor the grantor's POS through the grant, twice.
    expect((await orderVia(affiliate, 1_000, { shopOrderRef: 'REF-ONE' })).status).toBe(409);
  });
});
