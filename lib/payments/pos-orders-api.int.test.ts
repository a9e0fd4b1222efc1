import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GET as getOrderByRefRoute } from '@/app/api/v1/pos/orders/by-ref/[shopOrderRef]/route';
import { GET as getOrderRoute } from '@/app/api/v1/pos/orders/[orderId]/route';
import { POST as createOrderRoute } from '@/app/api/v1/pos/orders/route';
import { visibleAuditDetails } from '@/lib/audit/audit-actions';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { anotherPosOf, linkAcquirer, orderBody, posApiClient, seedOrder, seedPayment } from '@/lib/testing/pos-api-fixtures';

type Json = Record<string, unknown>;

async function postOrder(authorization: string, body: unknown, options: { rawBody?: string; headers?: Record<string, string> } = {}) {
  const request = new Request('http://localhost/api/v1/pos/orders', {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...options.headers },
    body: options.rawBody ?? JSON.stringify(body),
  });
  const response = await createOrderRoute(request, { params: Promise.resolve({}) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
}

async function getOrder(authorization: string, orderId: string) {
  const response = await getOrderRoute(new Request(`http://localhost/api/v1/pos/orders/${orderId}`, { headers: { authorization } }), { params: Promise.resolve({ orderId }) });
  return { status: response.status, body: (await response.json()) as Json };
}

async function getOrderByRef(authorization: string, shopOrderRef: string) {
  const url = `http://localhost/api/v1/pos/orders/by-ref/${encodeURIComponent(shopOrderRef)}`;
  const response = await getOrderByRefRoute(new Request(url, { headers: { authorization } }), { params: Promise.resolve({ shopOrderRef }) });
  return { status: response.status, body: (await response.json()) as Json };
}

/** What a refused request must not leave behind: no order, no audit event. */
async function writtenFor(storeId: string) {
  return { orders: await db().order.count({ where: { storeId } }), audit: await db().auditEvent.count({ where: { storeId, action: 'order.created' } }) };
}

describe('POST /api/v1/pos/orders', () => {
  it('registers the order: amount computed from the lines, description, random checkout token, expiry; audited', async () => {
    const shop = await posApiClient();
    const before = Date.now();

    const created = await postOrder(shop.authorization, orderBody({ shopOrderRef: 'ORD/2026 #1', customerEmail: 'Buyer@Example.com', autoCapture: true, expiresInMinutes: 30 }));

    expect(created.status).toBe(201);
    const order = created.body.order as Json;
    const token = String(order.checkoutUrl).split('/').at(-1)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(order).toEqual({
      id: expect.any(String),
      shopOrderRef: 'ORD/2026 #1',
      status: 'OPEN',
      amount: 2 * 640 + 3 * 300,
      currency: 'JPY',
      lineItems: [
        { name: 'Green tea', unitAmount: 640, quantity: 2 },
        { name: 'Rice cracker', unitAmount: 300, quantity: 3 },
      ],
      description: '2 × Green tea @ 640 JPY\n3 × Rice cracker @ 300 JPY',
      autoCapture: true,
      expiresAt: expect.any(String),
      checkoutUrl: `${env().APP_URL}/checkout/${token}`,
      createdAt: expect.any(String),
      viaPosId: null,
    });
    expect(Date.parse(String(order.expiresAt)) - Date.parse(String(order.createdAt))).toBe(30 * 60_000);
    expect(Date.parse(String(order.createdAt))).toBeGreaterThanOrEqual(before - 1000);
    expect(created.headers.get('location')).toBe(`/api/v1/pos/orders/${String(order.id)}`);
    expect(created.headers.get('cache-control')).toBe('no-store');

    const row = await db().order.findUniqueOrThrow({ where: { id: String(order.id) } });
    expect(row).toMatchObject({ storeId: shop.storeId, posId: shop.posId, amount: 2180n, checkoutToken: token, description: order.description, customer: { email: 'buyer@example.com' }, autoCapture: true, status: 'OPEN' });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { storeId: shop.storeId, action: 'order.created' } });
    expect(audit).toMatchObject({ actorType: 'POS_API_KEY', targetType: 'Order', targetId: order.id, data: { posId: shop.posId, shopOrderRef: 'ORD/2026 #1', amount: 2180, currency: 'JPY' } });
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(visibleAuditDetails(audit.data)).toEqual([
      { label: 'Order reference', value: 'ORD/2026 #1' },
      { label: 'Amount', value: '2180' },
      { label: 'Currency', value: 'JPY' },
    ]);
  });

  it('takes defaults (60 minutes, no auto-capture), decimals for USD, and a fresh token for every order', async () => {
    const shop = await posApiClient();
    const first = await postOrder(shop.authorization, orderBody({ currency: 'USD', lineItems: [{ name: 'Tea', unitAmount: 1999, quantity: 1 }] }));
    const second = await postOrder(shop.authorization, orderBody());

    const order = first.body.order as Json;
    expect(order).toMatchObject({ amount: 1999, currency: 'USD', description: '1 × Tea @ 19.99 USD', autoCapture: false });
    expect(Date.parse(String(order.expiresAt)) - Date.parse(String(order.createdAt))).toBe(60 * 60_000);
    expect((second.body.order as Json).checkoutUrl).not.toBe(order.checkoutUrl);
    expect((await db().order.findUniqueOrThrow({ where: { id: String(order.id) } })).customer).toBeNull();
  });

  it('accepts the largest order (10^12) and a free line next to a paid one', async () => {
    const shop = await posApiClient();
    const largest = await postOrder(shop.authorization, orderBody({ lineItems: [{ name: 'Gold', unitAmount: 10_000_000_000, quantity: 100 }] }));
    expect(largest.status).toBe(201);
    expect((largest.body.order as Json).amount).toBe(1_000_000_000_000);
    expect((await db().order.findUniqueOrThrow({ where: { id: String((largest.body.order as Json).id) } })).amount).toBe(1_000_000_000_000n);
    const withGift = await postOrder(shop.authorization, orderBody({ lineItems: [{ name: 'Tea', unitAmount: 500, quantity: 1 }, { name: 'Gift', unitAmount: 0, quantity: 1 }] }));
    expect(withGift.status).toBe(201);
  });

  const tooManyItems = Array.from({ length: 101 }, (_, index) => ({ name: `Item ${index}`, unitAmount: 1, quantity: 1 }));
  const longNames = Array.from({ length: 40 }, (_, index) => ({ name: `${index} ${'x'.repeat(110)}`, unitAmount: 1, quantity: 1 }));
  const refusals: [string, Json, string, string | null][] = [
    ['shopOrderRef missing', orderBody({ shopOrderRef: undefined }), 'validation_failed', 'shopOrderRef'],
    ['shopOrderRef a number', orderBody({ shopOrderRef: 12 }), 'validation_failed', 'shopOrderRef'],
    ['shopOrderRef empty', orderBody({ shopOrderRef: '' }), 'validation_failed', 'shopOrderRef'],
    ['shopOrderRef of 65 characters', orderBody({ shopOrderRef: 'x'.repeat(65) }), 'validation_failed', 'shopOrderRef'],
    ['shopOrderRef with a newline', orderBody({ shopOrderRef: 'A\nB' }), 'validation_failed', 'shopOrderRef'],
    ['shopOrderRef not ASCII', orderBody({ shopOrderRef: '注文-1' }), 'validation_failed', 'shopOrderRef'],
    ['shopOrderRef with a leading space', orderBody({ shopOrderRef: ' A1' }), 'validation_failed', 'shopOrderRef'],
    ['unknown currency', orderBody({ currency: 'XYZ' }), 'validation_failed', 'currency'],
    ['currency in lower case', orderBody({ currency: 'jpy' }), 'validation_failed', 'currency'],
    ['no line items', orderBody({ lineItems: [] }), 'validation_failed', 'lineItems'],
    ['line items not a list', orderBody({ lineItems: { name: 'Tea' } }), 'validation_failed', 'lineItems'],
    ['101 line items', orderBody({ lineItems: tooManyItems }), 'validation_failed', 'lineItems'],
    ['negative unit amount', orderBody({ lineItems: [{ name: 'Tea', unitAmount: -1, quantity: 1 }] }), 'validation_failed', 'lineItems.0.unitAmount'],
    ['fractional unit amount', orderBody({ lineItems: [{ name: 'Tea', unitAmount: 6.4, quantity: 1 }] }), 'validation_failed', 'lineItems.0.unitAmount'],
    ['unit amount as a string', orderBody({ lineItems: [{ name: 'Tea', unitAmount: '640', quantity: 1 }] }), 'validation_failed', 'lineItems.0.unitAmount'],
    ['unit amount over 10^10', orderBody({ lineItems: [{ name: 'Tea', unitAmount: 10_000_000_001, quantity: 1 }] }), 'validation_failed', 'lineItems.0.unitAmount'],
    ['zero quantity', orderBody({ lineItems: [{ name: 'Tea', unitAmount: 1, quantity: 0 }] }), 'validation_failed', 'lineItems.0.quantity'],
    ['quantity over 1000', orderBody({ lineItems: [{ name: 'Tea', unitAmount: 1, quantity: 1001 }] }), 'validation_failed', 'lineItems.0.quantity'],
    ['unknown field in a line', orderBody({ lineItems: [{ name: 'Tea', unitAmount: 1, quantity: 1, sku: 'T1' }] }), 'validation_failed', 'lineItems.0'],
    ['empty item name', orderBody({ lineItems: [{ name: '   ', unitAmount: 1, quantity: 1 }] }), 'validation_failed', 'lineItems.0.name'],
    ['item name of 121 characters', orderBody({ lineItems: [{ name: 'x'.repeat(121), unitAmount: 1, quantity: 1 }] }), 'validation_failed', 'lineItems.0.name'],
    ['total of 0', orderBody({ lineItems: [{ name: 'Free sample', unitAmount: 0, quantity: 3 }] }), 'validation_failed', 'lineItems'],
    ['total over 10^12', orderBody({ lineItems: [{ name: 'Gold', unitAmount: 10_000_000_000, quantity: 101 }] }), 'validation_failed', 'lineItems'],
    ['description over 4000 characters', orderBody({ lineItems: longNames }), 'validation_failed', 'lineItems'],
    ['an amount of its own', orderBody({ amount: 1 }), 'validation_failed', '(body)'],
    ['successUrl relative', orderBody({ successUrl: '/thanks' }), 'validation_failed', 'successUrl'],
    ['successUrl javascript:', orderBody({ successUrl: 'javascript:alert(1)' }), 'validation_failed', 'successUrl'],
    ['failureUrl ftp:', orderBody({ failureUrl: 'ftp://shop.example/cart' }), 'validation_failed', 'failureUrl'],
    ['failureUrl with credentials', orderBody({ failureUrl: 'https://user:secret@shop.example/cart' }), 'validation_failed', 'failureUrl'],
    ['successUrl over 2000 characters', orderBody({ successUrl: `https://shop.example/${'a'.repeat(2000)}` }), 'validation_failed', 'successUrl'],
    ['expiry under 5 minutes', orderBody({ expiresInMinutes: 4 }), 'validation_failed', 'expiresInMinutes'],
    ['expiry over a day', orderBody({ expiresInMinutes: 1441 }), 'validation_failed', 'expiresInMinutes'],
    ['autoCapture as text', orderBody({ autoCapture: 'yes' }), 'validation_failed', 'autoCapture'],
    ['customerEmail not an address', orderBody({ customerEmail: 'not-an-address' }), 'validation_failed', 'customerEmail'],
  ];

  it.each(refusals)('refuses %s with 400 and the field, writing nothing', async (_label, body, code, field) => {
    const shop = await posApiClient();

    const answer = await postOrder(shop.authorization, body);

    expect(answer.status).toBe(400);
    const error = answer.body.error as { code: string; message: string; fields?: { path: string; message: string }[] };
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(5);
    if (field) expect(error.fields?.map((issue) => issue.path)).toContain(field);
    expect(await writtenFor(shop.storeId)).toEqual({ orders: 0, audit: 0 });
  });

  it('says clearly why a total of 0 or over 10^12 is refused', async () => {
    const shop = await posApiClient();
    const zero = await postOrder(shop.authorization, orderBody({ lineItems: [{ name: 'Free sample', unitAmount: 0, quantity: 3 }] }));
    expect(zero.body.error).toMatchObject({ message: 'lineItems: The order total is 0: an order must be for more than nothing.' });
    const huge = await postOrder(shop.authorization, orderBody({ lineItems: [{ name: 'Gold', unitAmount: 10_000_000_000, quantity: 101 }] }));
    expect(huge.body.error).toMatchObject({ message: 'lineItems: The order total is 1010000000000 minor units; it may be at most 1000000000000.' });
  });

  it.each([
    ['malformed JSON', '{"shopOrderRef": "A1",', {}, 400, 'invalid_json'],
    ['a JSON list', '[]', {}, 400, 'validation_failed'],
    ['JSON null', 'null', {}, 400, 'validation_failed'],
    ['an empty body', '', {}, 400, 'invalid_json'],
    ['text/plain', JSON.stringify(orderBody()), { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
    ['a body over 64 KiB', JSON.stringify(orderBody({ padding: 'x'.repeat(70 * 1024) })), {}, 413, 'body_too_large'],
  ] as const)('refuses %s with its 4xx, writing nothing', async (_label, rawBody, headers, status, code) => {
    const shop = await posApiClient();
    const answer = await postOrder(shop.authorization, null, { rawBody, headers });
    expect(answer.status).toBe(status);
    expect(answer.body.error).toMatchObject({ code, message: expect.any(String) });
    expect(await writtenFor(shop.storeId)).toEqual({ orders: 0, audit: 0 });
  });

  it('refuses a second order with the same shopOrderRef on the POS (409), but another POS may use it', async () => {
    const shop = await posApiClient();
    const body = orderBody({ shopOrderRef: 'SAME-REF' });
    expect((await postOrder(shop.authorization, body)).status).toBe(201);

    const again = await postOrder(shop.authorization, body);

    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'conflict', message: expect.stringContaining('SAME-REF'), fields: [{ path: 'shopOrderRef', message: expect.any(String) }] });
    expect(await writtenFor(shop.storeId)).toEqual({ orders: 1, audit: 1 });
    const till = await anotherPosOf(shop);
    expect((await postOrder(till.authorization, body)).status).toBe(201);
  });

  it.each(['SUSPENDED', 'PENDING'] as const)('refuses an order for a %s store with 409 store_inactive', async (status) => {
    const shop = await posApiClient();
    await db().store.update({ where: { id: shop.storeId }, data: { status } });

    const answer = await postOrder(shop.authorization, orderBody());

    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'store_inactive', message: expect.stringMatching(/cannot take payments/) });
    expect(await writtenFor(shop.storeId)).toEqual({ orders: 0, audit: 0 });
  });

  it('refuses an order for a POS registered with no acquirer (409), and takes it once one is registered', async () => {
    const shop = await posApiClient({ registered: false });

    const answer = await postOrder(shop.authorization, orderBody());

    expect(answer.status).toBe(409);
    expect(answer.body.error).toMatchObject({ code: 'store_inactive', message: expect.stringMatching(/not registered with any acquirer/) });
    expect(await writtenFor(shop.storeId)).toEqual({ orders: 0, audit: 0 });

    // A registered link under a contract no longer verified does not count either.
    const { contractId } = await linkAcquirer({ storeId: shop.storeId, posId: shop.posId, status: 'REGISTERED' });
    await db().acquirerContract.update({ where: { id: contractId }, data: { status: 'WITHDRAWING' } });
    expect((await postOrder(shop.authorization, orderBody())).status).toBe(409);
    await db().acquirerContract.update({ where: { id: contractId }, data: { status: 'VERIFIED' } });
    expect((await postOrder(shop.authorization, orderBody())).status).toBe(201);
  });

  it('answers 401 without a valid key, before looking at the body or the Idempotency-Key', async () => {
    const answer = await postOrder('Bearer spk_nothing', null, { rawBody: '{', headers: { 'idempotency-key': '' } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="ServerPOS POS API"');
  });
});

describe('GET /api/v1/pos/orders/:orderId and /by-ref/:shopOrderRef', () => {
  it('answers the order with its payments, newest first, in the documented shape', async () => {
    const shop = await posApiClient();
    const created = (await postOrder(shop.authorization, orderBody({ shopOrderRef: 'ORD/2026 #7' }))).body.order as Json;
    const orderId = String(created.id);
    const declined = await seedPayment({
      storeId: shop.storeId,
      posId: shop.posId,
      orderId,
      status: 'DECLINED',
      amount: 2180,
      createdAt: new Date(Date.now() - 60_000),
      declineCode: 'insufficient_funds',
      declineMessage: { en: 'Insufficient funds.', ja: '残高不足です。' },
    });
    const authorized = await seedPayment({ storeId: shop.storeId, posId: shop.posId, orderId, status: 'AUTHORIZED', amount: 2180 });

    const byId = await getOrder(shop.authorization, orderId);

    expect(byId.status).toBe(200);
    const order = byId.body.order as Json & { payments: Json[] };
    expect({ ...order, payments: undefined }).toEqual({ ...created, payments: undefined });
    expect(order.payments).toEqual([
      {
        id: authorized.id,
        orderId,
        shopOrderRef: 'ORD/2026 #7',
        status: 'AUTHORIZED',
        amount: 2180,
        capturedAmount: 0,
        refundedAmount: 0,
        currency: 'JPY',
        brand: 'VISA',
        maskedPan: '411111******1111',
        declineCode: null,
        declineMessage: null,
        authCode: 'A1B2C3',
        handlingNumber: null,
        createdAt: authorized.createdAt.toISOString(),
        updatedAt: expect.any(String),
      },
      expect.objectContaining({ id: declined.id, status: 'DECLINED', declineCode: 'insufficient_funds', declineMessage: { en: 'Insufficient funds.', ja: '残高不足です。' }, authCode: null }),
    ]);

    const byRef = await getOrderByRef(shop.authorization, 'ORD/2026 #7');
    expect(byRef).toEqual(byId);
  });

  it('reads an open order past its expiry as EXPIRED, as the checkout treats it; a paid one stays PAID', async () => {
    const shop = await posApiClient();
    const lapsed = await seedOrder({ storeId: shop.storeId, posId: shop.posId, expiresAt: new Date(Date.now() - 1000) });
    const paid = await seedOrder({ storeId: shop.storeId, posId: shop.posId, expiresAt: new Date(Date.now() - 1000) });
    await db().order.update({ where: { id: paid.id }, data: { status: 'PAID' } });

    expect((await getOrder(shop.authorization, lapsed.id)).body.order).toMatchObject({ status: 'EXPIRED' });
    expect((await getOrderByRef(shop.authorization, paid.shopOrderRef)).body.order).toMatchObject({ status: 'PAID' });
  });

  it('answers 404 for another POS’s order, another store’s, an unknown id and a malformed one', async () => {
    const shop = await posApiClient();
    const till = await anotherPosOf(shop);
    const stranger = await posApiClient();
    const order = (await postOrder(shop.authorization, orderBody({ shopOrderRef: 'MINE-1' }))).body.order as Json;
    const orderId = String(order.id);
    const notFound = { status: 404, body: { error: { code: 'not_found', message: 'Order not found.' } } };

    expect(await getOrder(till.authorization, orderId)).toEqual(notFound);
    expect(await getOrder(stranger.authorization, orderId)).toEqual(notFound);
    expect(await getOrderByRef(till.authorization, 'MINE-1')).toEqual(notFound);
    expect(await getOrderByRef(stranger.authorization, 'MINE-1')).toEqual(notFound);
    expect(await getOrder(shop.authorization, randomUUID())).toEqual(notFound);
    expect(await getOrder(shop.authorization, 'not-a-uuid')).toEqual(notFound);
    expect(await getOrderByRef(shop.authorization, 'NOPE')).toEqual(notFound);
    expect(await getOrderByRef(shop.authorization, 'x'.repeat(65))).toEqual(notFound);
    expect((await getOrder(shop.authorization, orderId)).status).toBe(200);
  });
});
