import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { posApiClient, seedOrder, seedPayment } from '@/lib/testing/pos-api-fixtures';
import { posApiRouteFetch } from '@/lib/testing/pos-api-route-fetch';
import { currentSigningKey } from '@/lib/webhooks/current-signing-key';
import { signWebhookBody } from '@/lib/webhooks/signature';
import { ServerPosClient } from '../../sdk';
import type { ShopConfig } from './config';
import { startShopServer, type RunningShop } from './server';

/**
 * The sample shop as a real HTTP server, selling through the POS API's real route handlers (in process,
 * see posApiRouteFetch) on the test database; webhooks signed with ServerPOS's own key and verified against
 * its real JWKS route. Payments are seeded in the database as the checkout would leave them.
 */

let dataDir: string;
let apiShop: Awaited<ReturnType<typeof posApiClient>>;
let config: ShopConfig;
let client: ServerPosClient;
let shop: RunningShop;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'shop-test-'));
  apiShop = await posApiClient();
  client = new ServerPosClient({ baseUrl: 'http://localhost:3999', apiKey: apiShop.apiKey, fetch: posApiRouteFetch(), retryDelayMs: 1 });
  config = { name: 'Sakura Books', port: 0, publicUrl: 'http://shop.test', serverposUrl: 'http://localhost:3999', apiKey: apiShop.apiKey, dataDir };
  shop = await startShopServer({ config, client, port: 0 });
});

afterAll(async () => {
  await shop?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** A customer's browser: keeps the shop's cookie, does not follow redirects. */
function browser() {
  let cookie: string | undefined;
  const request = async (pathname: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const response = await fetch(`http://127.0.0.1:${shop.port}${pathname}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    const setCookie = response.headers.getSetCookie();
    if (setCookie.length > 0) cookie = setCookie[0]!.split(';')[0];
    return { status: response.status, location: response.headers.get('location'), setCookie, text: await response.text() };
  };
  return { request, cookie: () => cookie };
}

const heading = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

/** Fills a cart and checks out; answers the order ServerPOS registered. */
async function checkout(customer = browser(), products: string[] = ['kokoro', 'kokoro', 'drip-bags']) {
  for (const productId of products) await customer.request('/cart/add', { form: { productId } });
  const answer = await customer.request('/checkout', { form: {} });
  expect(answer.status).toBe(303);
  const order = await db().order.findFirstOrThrow({ where: { posId: apiShop.posId, checkoutToken: answer.location!.split('/').at(-1)! } });
  return { customer, answer, order };
}

describe('the sample shop', () => {
  it('sells the cart through ServerPOS: the order is registered at the cart’s total and the customer sent to its checkout', async () => {
    const customer = browser();
    const home = await customer.request('/');
    expect(home.status).toBe(200);
    expect(heading(home.text)).toBe('Sakura Books');
    expect(home.text).toContain('<h2 id="product-kokoro">Kokoro</h2>');
    expect(home.text).toContain('¥1,320');

    const added = await customer.request('/cart/add', { form: { productId: 'kokoro' } });
    expect(added).toMatchObject({ status: 303, location: '/cart?added=kokoro' });
    expect(added.setCookie[0]).toMatch(/^shop_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
    expect((await customer.request('/cart/add', { form: { productId: 'kokoro' } })).setCookie).toEqual([]);
    await customer.request('/cart/add', { form: { productId: 'drip-bags' } });
    const cart = await customer.request('/cart');
    expect(cart.text).toContain('Cart (3)');
    expect(cart.text).toContain('<td class="amount" data-testid="cart-total">¥3,620</td>');
    // Another browser has a cart of its own.
    expect((await browser().request('/cart')).text).toContain('Your cart is empty.');

    const { answer, order } = await checkout(customer, []);
    expect(answer.location).toMatch(/^http:\/\/localhost:3999\/checkout\/[A-Za-z0-9_-]+$/);
    expect(order).toMatchObject({
      amount: 3_620n,
      currency: 'JPY',
      status: 'OPEN',
      lineItems: [
        { name: 'Kokoro', unitAmount: 1_320, quantity: 2 },
        { name: 'Drip coffee bags (10)', unitAmount: 980, quantity: 1 },
      ],
      successUrl: `http://shop.test/return/success?ref=${order.shopOrderRef}`,
      failureUrl: `http://shop.test/return/failure?ref=${order.shopOrderRef}`,
    });
    expect(order.shopOrderRef).toMatch(/^SB-\d{8}-[A-Z2-9]{8}$/);
  });

  it('shows on the return page what ServerPOS says, whichever return URL the customer arrives on', async () => {
    const { customer, order } = await checkout();

    // Back on the success URL, but nothing was paid: the page says so.
    const early = await customer.request(`/return/success?ref=${order.shopOrderRef}&order=${order.shopOrderRef}`);
    expect(early.status).toBe(200);
    expect(heading(early.text)).toBe('Payment not completed');
    expect(early.text).toContain('Awaiting payment');

    const declined = await seedPayment({ storeId: apiShop.storeId, posId: apiShop.posId, orderId: order.id, status: 'DECLINED', declineCode: 'insufficient_funds', declineMessage: { en: 'The card has insufficient funds.', ja: 'カードの利用可能額が不足しています。' } });
    const afterDecline = await customer.request(`/return/failure?ref=${order.shopOrderRef}`);
    expect(heading(afterDecline.text)).toBe('Payment declined');
    expect(afterDecline.text).toContain('The card has insufficient funds.');
    expect(afterDecline.text).toContain('カードの利用可能額が不足しています。');
    expect(declined.id).toBeTruthy();

    // Paid at ServerPOS: even the failure URL shows it as paid, and the cart that placed it is emptied.
    await seedPayment({ storeId: apiShop.storeId, posId: apiShop.posId, orderId: order.id, status: 'AUTHORIZED', createdAt: new Date(Date.now() + 1000) });
    await db().order.update({ where: { id: order.id }, data: { status: 'PAID' } });
    const paid = await customer.request(`/return/failure?order=${order.shopOrderRef}`);
    expect(heading(paid.text)).toBe('Payment received');
    expect(paid.text).toContain('Paid (authorized)');
    expect((await customer.request('/cart')).text).toContain('Your cart is empty.');
    expect((await customer.request('/orders')).text).toMatch(new RegExp(`${order.shopOrderRef}[\\s\\S]*?Paid \\(authorized\\)`));
  });

  it('answers 404 for an order ServerPOS does not have for this POS, and 400 for a reference that cannot be one', async () => {
    const stranger = await posApiClient();
    const theirs = await seedOrder({ storeId: stranger.storeId, posId: stranger.posId });
    const customer = browser();
    expect(await customer.request(`/return/success?ref=${theirs.shopOrderRef}`)).toMatchObject({ status: 404, text: expect.stringContaining('<h1>Order not found</h1>') });
    expect((await customer.request('/return/success?ref=NO-SUCH-ORDER')).status).toBe(404);
    expect((await customer.request('/return/success')).status).toBe(400);
    expect((await customer.request(`/return/success?ref=${encodeURIComponent('<script>')}`)).text).not.toContain('<script>');
  });

  it('records a verified webhook event once, refuses anything unverified (400) and records none of it', async () => {
    const { order } = await checkout();
    const seeded = await seedPayment({ storeId: apiShop.storeId, posId: apiShop.posId, orderId: order.id, status: 'AUTHORIZED' });
    const payment = await client.getPayment(seeded.id);
    const event = { id: randomUUID(), type: 'payment.authorized', createdAt: new Date().toISOString(), data: { payment, order: { id: order.id, shopOrderRef: order.shopOrderRef } } };
    const rawBody = JSON.stringify(event);
    const { kid, privateKey } = await currentSigningKey();
    const deliver = (body: string, headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${shop.port}/webhooks`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
    const signed = (body: string, now?: Date) => ({ 'serverpos-event-id': event.id, 'serverpos-signature': signWebhookBody({ rawBody: body, privateKey, kid, ...(now ? { now } : {}) }) });

    expect(await deliver(rawBody, signed(rawBody))).toEqual({ status: 200, body: { received: true, duplicate: false } });
    expect(await deliver(rawBody, signed(rawBody))).toEqual({ status: 200, body: { received: true, duplicate: true } });

    const forged = rawBody.replace(order.shopOrderRef, 'SB-FORGED');
    const refusals = [
      await deliver(forged, signed(rawBody)),
      await deliver(rawBody, {}),
      await deliver(rawBody, signed(rawBody, new Date(Date.now() - 10 * 60_000))),
      await deliver(rawBody, { 'serverpos-signature': signed(rawBody)['serverpos-signature'].replace(`kid=${kid}`, 'kid=webhook-key-999') }),
    ];
    expect(refusals.map((answer) => [answer.status, (answer.body.error as { code: string }).code])).toEqual([
      [400, 'invalid_signature'],
      [400, 'missing_signature'],
      [400, 'timestamp_out_of_tolerance'],
      [400, 'unknown_key'],
    ]);

    const stored = JSON.parse(await readFile(path.join(dataDir, 'state.json'), 'utf8')) as { events: { id: string; type: string; shopOrderRef: string }[] };
    expect(stored.events.filter((received) => received.shopOrderRef === order.shopOrderRef)).toEqual([expect.objectContaining({ id: event.id, type: 'payment.authorized' })]);
    expect(JSON.stringify(stored)).not.toContain('SB-FORGED');
    const orders = await browser().request('/orders');
    expect(orders.text).toContain('<caption>Webhook events</caption>');
    expect(orders.text.split(event.id)).toHaveLength(2);
    expect(orders.text).toMatch(new RegExp(`${order.shopOrderRef}[\\s\\S]*?Paid \\(authorized\\)[\\s\\S]*?payment.authorized <time`));
  });

  it('keeps its orders and events across a restart', async () => {
    const before = await browser().request('/orders');
    await shop.close();
    shop = await startShopServer({ config, client, port: 0 });
    const after = await browser().request('/orders');
    expect(after.status).toBe(200);
    expect(after.text).toBe(before.text);
    expect(after.text).toContain('Orders placed in this shop');
  });
});
