import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as initRoute } from '@/app/api/checkout/[token]/init/route';
import { POST as payRoute } from '@/app/api/checkout/[token]/pay/route';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { getCheckoutPage } from '@/lib/checkout/get-checkout-page';
import { runWallet, walletParty, type WalletTrust } from '@/lib/checkout/run-wallet';
import { db } from '@/lib/db/client';
import { base64Of, certificateToBase64, createHierarchy, initialCrls, parseCertificate, parseCrl } from '@/lib/pki';
import type { PaymentAccount } from '@/lib/set';
import { createEnrolledStore, enrolAt, startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

const card = (pan: string): PaymentAccount => ({ kind: 'card', pan, expiry: '2031-12', cvc: '123' });
const customer = { name: 'Yui Aoki', email: 'yui@example.test' };

/** A registered store (ACQ-CARD, optionally ACQ-BANK too) with an order its shop pre-registered. */
async function storeWithOrder(options: { withBank?: boolean; order?: { status?: 'OPEN' | 'PAID' | 'CANCELLED' | 'EXPIRED'; expiresAt?: Date } } = {}) {
  const store = await createEnrolledStore(world);
  const actor = { type: 'STORE_USER' as const, id: store.userId };
  await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor, acquisitionNumber: store.acquisitionNumber });
  if (options.withBank) {
    const bank = await enrolAt(world, { storeId: store.storeId, storeName: 'Test Books', acquirerCode: 'ACQ-BANK', posIds: [store.posId] });
    await issuePosCertificates({ storeId: store.storeId, posAcquirerId: bank.posAcquirerIds[0]!, actor, acquisitionNumber: bank.acquisitionNumber });
  }
  const token = randomBytes(32).toString('base64url');
  const order = await db().order.create({
    data: {
      storeId: store.storeId,
      posId: store.posId,
      shopOrderRef: `shop-${token.slice(0, 10)}`,
      amount: 3_400n,
      currency: 'JPY',
      lineItems: [
        { name: 'Sencha 100 g', unitAmount: 1_200, quantity: 2 },
        { name: 'Tea towel', unitAmount: 1_000, quantity: 1 },
      ],
      description: '2 × Sencha 100 g @ 1200 JPY\n1 × Tea towel @ 1000 JPY',
      successUrl: 'https://shop.example.test/thanks',
      failureUrl: 'https://shop.example.test/sorry',
      checkoutToken: token,
      status: options.order?.status ?? 'OPEN',
      expiresAt: options.order?.expiresAt ?? new Date(Date.now() + 3_600_000),
    },
  });
  return { ...store, order, token };
}

/** The browser's fetch, answered by the app's own route handlers, recording every body the wallet sends. */
function appFetch(token: string, sent: string[] = []): typeof fetch {
  return async (url, init) => {
    const path = String(url);
    const body = typeof init?.body === 'string' ? init.body : '';
    sent.push(body);
    const request = new Request(`http://checkout.test${path}`, { method: init?.method ?? 'GET', headers: init?.headers ?? {}, body });
    const context = { params: Promise.resolve({ token }) };
    if (path.endsWith('/init')) return initRoute(request, context);
    if (path.endsWith('/pay')) return payRoute(request, context);
    throw new Error(`unexpected request to ${path}`);
  };
}

async function payablePage(token: string) {
  const page = await getCheckoutPage({ token });
  if (page.state !== 'payable') throw new Error(`the order is not payable: ${page.reason}`);
  return page;
}

async function pay(token: string, account: PaymentAccount, options: { brand?: string; trust?: WalletTrust; sent?: string[] } = {}) {
  const page = await payablePage(token);
  return runWallet({
    token,
    orderId: page.order.id,
    description: page.order.description,
    brand: options.brand ?? 'VISA',
    account,
    customer,
    party: walletParty(options.trust ?? page.trust),
    fetch: appFetch(token, options.sent),
  });
}

describe('the checkout page', () => {
  it('shows the order, the brands the POS takes and the CA trust material for the wallet', async () => {
    const { token, order } = await storeWithOrder({ withBank: true });
    const page = await payablePage(token);
    expect(page).toMatchObject({
      storeName: 'Test Books',
      order: {
        id: order.id,
        amount: 3_400n,
        currency: 'JPY',
        lineItems: [
          { name: 'Sencha 100 g', unitAmount: 1_200n, quantity: 2, amount: 2_400n },
          { name: 'Tea towel', unitAmount: 1_000n, quantity: 1, amount: 1_000n },
        ],
      },
    });
    expect([...page.brands].sort()).toEqual(['BANK', 'MASTER', 'VISA']);
    expect(page.trust.crls.length).toBeGreaterThan(0);
    // What the wallet gets parses (the root and every CRL, which the wallet parses as its chains need them);
    // nothing else of the store or its POS is on the page.
    expect(() => parseCertificate(page.trust.root)).not.toThrow();
    for (const crl of page.trust.crls) expect(parseCrl(Buffer.from(crl, 'base64')).issuer).toBeTruthy();
    expect(Object.keys(page).sort()).toEqual(['brands', 'order', 'state', 'storeName', 'trust']);
  });

  it('says why an order cannot be paid, with the way back to the shop', async () => {
    for (const [status, reason, returnUrl] of [
      ['PAID', 'paid', 'https://shop.example.test/thanks?order='],
      ['CANCELLED', 'cancelled', 'https://shop.example.test/sorry?order='],
      ['EXPIRED', 'expired', 'https://shop.example.test/sorry?order='],
    ] as const) {
      const { token, order } = await storeWithOrder({ order: { status } });
      expect(await getCheckoutPage({ token })).toMatchObject({ state: 'unpayable', reason, returnUrl: `${returnUrl}${order.shopOrderRef}` });
    }
    const late = await storeWithOrder({ order: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await getCheckoutPage({ token: late.token })).toMatchObject({ state: 'unpayable', reason: 'expired' });
    const suspended = await storeWithOrder();
    await db().store.update({ where: { id: suspended.storeId }, data: { status: 'SUSPENDED', suspendedBy: 'STORE', suspendedAt: new Date(), suspendedReason: 'test' } });
    expect(await getCheckoutPage({ token: suspended.token })).toMatchObject({ state: 'unpayable', reason: 'store_unavailable' });
  });

  it('is not found for a token that names no order', async () => {
    await expect(getCheckoutPage({ token: randomBytes(32).toString('base64url') })).rejects.toMatchObject({ code: 'not_found' });
    await expect(getCheckoutPage({ token: 'not a token' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('the wallet, through the checkout API', () => {
  it('pays with a good card: approved by the signed PRes, back to the shop with the order reference, no card number in any request', async () => {
    const { token, order } = await storeWithOrder();
    const sent: string[] = [];
    const outcome = await pay(token, card('4111111111111111'), { sent });
    expect(outcome).toEqual({ status: 'approved', code: 'approved', message: expect.any(Object), returnUrl: `https://shop.example.test/thanks?order=${order.shopOrderRef}` });
    expect(sent).toHaveLength(2);
    expect(sent.join('\n')).not.toContain('4111111111111111');
    expect(JSON.parse(sent[1]!)).toMatchObject({ customer });
    expect(await db().order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: 'PAID' });
  });

  it('shows a decline with its reason in English and Japanese; the next attempt is a fresh payment and can succeed', async () => {
    const { token, order } = await storeWithOrder();
    const declined = await pay(token, card('4000000000009995'));
    expect(declined).toEqual({
      status: 'declined',
      code: 'insufficient_funds',
      message: { en: 'The card has insufficient funds.', ja: 'カードの利用可能額が不足しています。' },
      returnUrl: `https://shop.example.test/sorry?order=${order.shopOrderRef}`,
    });
    const approved = await pay(token, card('5555555555554444'), { brand: 'MASTER' });
    expect(approved).toMatchObject({ status: 'approved' });
    const payments = await db().payment.findMany({ where: { orderId: order.id }, orderBy: { createdAt: 'asc' } });
    expect(payments.map((payment) => [payment.brand, payment.status])).toEqual([
      ['VISA', 'DECLINED'],
      ['MASTER', 'AUTHORIZED'],
    ]);
    expect(new Set(payments.map((payment) => payment.xid)).size).toBe(2);
  });

  it('pays by bank transfer through the BANK acquirer', async () => {
    const { token, order } = await storeWithOrder({ withBank: true });
    const outcome = await pay(token, { kind: 'bank', bankCode: '0001', accountNumber: '1234567', pin: '1234' }, { brand: 'BANK' });
    expect(outcome).toMatchObject({ status: 'approved' });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id }, include: { acquirer: true } });
    expect(payment.acquirer?.code).toBe('ACQ-BANK');
  });

  it('sends no card data when the shop’s answer does not chain to the root the page trusts', async () => {
    const { token, order } = await storeWithOrder();
    const other = await createHierarchy({ brands: ['VISA'], notAfter: new Date(Date.now() + 86_400_000) });
    const crls = await initialCrls(other, { nextUpdate: new Date(Date.now() + 3_600_000) });
    const sent: string[] = [];
    const outcome = await pay(token, card('4111111111111111'), { sent, trust: { root: certificateToBase64(other.root.certificate), crls: crls.map((crl) => base64Of(new Uint8Array(crl.rawData))) } });
    expect(outcome).toMatchObject({ status: 'error', message: expect.stringContaining('could not be verified') });
    expect(sent).toHaveLength(1);
    expect(await db().payment.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ status: 'PENDING' });
  });

  it('reports the server’s refusal of the customer’s details against the fields, before anything is authorised', async () => {
    const { token, order } = await storeWithOrder();
    const page = await payablePage(token);
    const outcome = await runWallet({
      token,
      orderId: order.id,
      description: page.order.description,
      brand: 'VISA',
      account: card('4111111111111111'),
      customer: { name: 'Yui Aoki', email: 'not-an-address' },
      party: walletParty(page.trust),
      fetch: appFetch(token),
    });
    expect(outcome).toMatchObject({ status: 'error', code: 'validation_failed', fields: [{ path: 'email', message: expect.any(String) }] });
    expect(await db().order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: 'OPEN' });
  });
});
