import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GET as getPaymentRoute } from '@/app/api/v1/pos/payments/[paymentId]/route';
import { GET as listPaymentsRoute } from '@/app/api/v1/pos/payments/route';
import { anotherPosOf, posApiClient, seedOrder, seedPayment } from '@/lib/testing/pos-api-fixtures';

type Page = { payments: { id: string; status: string; shopOrderRef: string; createdAt: string }[]; nextCursor: string | null };

async function listPayments(authorization: string, query: Record<string, string> = {}) {
  const url = `http://localhost/api/v1/pos/payments?${new URLSearchParams(query)}`;
  const response = await listPaymentsRoute(new Request(url, { headers: { authorization } }), { params: Promise.resolve({}) });
  return { status: response.status, body: (await response.json()) as Page & { error?: { code: string; message: string; fields?: { path: string }[] } } };
}

async function getPayment(authorization: string, paymentId: string) {
  const response = await getPaymentRoute(new Request(`http://localhost/api/v1/pos/payments/${paymentId}`, { headers: { authorization } }), { params: Promise.resolve({ paymentId }) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Every page, following nextCursor, with the same filters. */
async function allPages(authorization: string, query: Record<string, string>) {
  const pages: Page['payments'][] = [];
  let cursor: string | null = null;
  do {
    const page = await listPayments(authorization, { ...query, ...(cursor ? { cursor } : {}) });
    expect(page.status).toBe(200);
    pages.push(page.body.payments);
    cursor = page.body.nextCursor;
  } while (cursor && pages.length < 50);
  return pages;
}

describe('GET /api/v1/pos/payments', () => {
  it('pages newest first, ties in creation time by id, with no repeat and no gap, and only this POS’s payments', async () => {
    const shop = await posApiClient();
    const till = await anotherPosOf(shop);
    // Each authorised payment pays an order of its own (an order has one live payment at most).
    const paymentAt = async (createdAt: Date) => seedPayment({ storeId: shop.storeId, posId: shop.posId, orderId: (await seedOrder({ storeId: shop.storeId, posId: shop.posId })).id, createdAt });
    const base = Date.parse('2031-03-01T10:00:00.000Z');
    const tie = new Date(base);
    // Seven payments in the same millisecond, two earlier and two later: page boundaries fall inside the tie.
    const seeded = [
      ...(await Promise.all(Array.from({ length: 7 }, () => paymentAt(tie)))),
      await paymentAt(new Date(base - 1)),
      await paymentAt(new Date(base - 60_000)),
      await paymentAt(new Date(base + 1)),
      await paymentAt(new Date(base + 60_000)),
    ];
    const tillOrder = await seedOrder({ storeId: till.storeId, posId: till.posId });
    await seedPayment({ storeId: till.storeId, posId: till.posId, orderId: tillOrder.id, createdAt: tie });
    const expected = [...seeded].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((payment) => payment.id);

    const pages = await allPages(shop.authorization, { limit: '3' });

    expect(pages.map((page) => page.length)).toEqual([3, 3, 3, 2]);
    expect(pages.flat().map((payment) => payment.id)).toEqual(expected);

    // Payments arriving while the shop pages (newer ones) do not shift the pages it has yet to read.
    const first = await listPayments(shop.authorization, { limit: '4' });
    await paymentAt(new Date(base + 120_000));
    const rest = await allPages(shop.authorization, { limit: '4', cursor: first.body.nextCursor! });
    expect([...first.body.payments, ...rest.flat()].map((payment) => payment.id)).toEqual(expected);
  });

  it('answers one page with a null cursor when everything fits, 20 by default', async () => {
    const shop = await posApiClient();
    for (let index = 0; index < 21; index++) await seedPayment({ storeId: shop.storeId, posId: shop.posId, orderId: (await seedOrder({ storeId: shop.storeId, posId: shop.posId })).id });

    const page = await listPayments(shop.authorization);
    expect(page.body.payments).toHaveLength(20);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    expect((await listPayments(shop.authorization, { limit: '100' })).body).toMatchObject({ nextCursor: null });
    expect((await listPayments((await posApiClient()).authorization)).body).toEqual({ payments: [], nextCursor: null });
  });

  it('filters by status, by creation time (from inclusive, to exclusive) and by the shop’s order reference', async () => {
    const shop = await posApiClient();
    const tea = await seedOrder({ storeId: shop.storeId, posId: shop.posId, shopOrderRef: 'TEA-1' });
    const rice = await seedOrder({ storeId: shop.storeId, posId: shop.posId, shopOrderRef: 'RICE-1' });
    const at = (iso: string) => new Date(iso);
    const declined = await seedPayment({ storeId: shop.storeId, posId: shop.posId, orderId: tea.id, status: 'DECLINED', createdAt: at('2031-01-01T00:00:00.000Z') });
    const authorized = await seedPayment({ storeId: shop.storeId, posId: shop.posId, orderId: tea.id, status: 'AUTHORIZED', createdAt: at('2031-01-02T00:00:00.000Z') });
    const captured = await seedPayment({ storeId: shop.storeId, posId: shop.posId, orderId: rice.id, status: 'CAPTURED', createdAt: at('2031-01-03T00:00:00.000Z') });
    const ids = async (query: Record<string, string>) => (await listPayments(shop.authorization, query)).body.payments.map((payment) => payment.id);

    expect(await ids({ status: 'DECLINED' })).toEqual([declined.id]);
    expect(await ids({ shopOrderRef: 'TEA-1' })).toEqual([authorized.id, declined.id]);
    expect(await ids({ from: '2031-01-02T00:00:00Z' })).toEqual([captured.id, authorized.id]);
    expect(await ids({ to: '2031-01-02T00:00:00Z' })).toEqual([declined.id]);
    expect(await ids({ from: '2031-01-02T09:00:00+09:00', to: '2031-01-03T00:00:00.000Z' })).toEqual([authorized.id]);
    expect(await ids({ shopOrderRef: 'RICE-1', status: 'DECLINED' })).toEqual([]);
    expect(await ids({ shopOrderRef: 'NONE' })).toEqual([]);
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '101' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ status: 'PAID' }, 'status'],
    [{ from: 'yesterday' }, 'from'],
    [{ to: '2031-01-01' }, 'to'],
    // Year 0 is a valid ISO 8601 year that PostgreSQL cannot store: refused before any query.
    [{ from: '0000-01-01T00:00:00Z' }, 'from'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
    [{ cursor: Buffer.from(JSON.stringify(['2031-01-01T00:00:00.000Z', 'x'])).toString('base64url') }, 'cursor'],
    [{ sort: 'asc' }, 'sort'],
  ])('refuses %j with 400 validation_failed on the parameter', async (query, field) => {
    const shop = await posApiClient();
    const answer = await listPayments(shop.authorization, query);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    expect(answer.body.error!.fields!.map((issue) => issue.path)).toContain(field);
  });
});

describe('GET /api/v1/pos/payments/:paymentId', () => {
  it('answers the payment to its POS only; any other caller or id is 404', async () => {
    const shop = await posApiClient();
    const till = await anotherPosOf(shop);
    const stranger = await posApiClient();
    const order = await seedOrder({ storeId: shop.storeId, posId: shop.posId, shopOrderRef: 'ORD-9' });
    const payment = await seedPayment({ storeId: shop.storeId, posId: shop.posId, orderId: order.id, status: 'CAPTURED', amount: 1580 });

    const mine = await getPayment(shop.authorization, payment.id);

    expect(mine.status).toBe(200);
    expect(mine.body.payment).toMatchObject({ id: payment.id, orderId: order.id, shopOrderRef: 'ORD-9', status: 'CAPTURED', amount: 1580, currency: 'JPY', createdAt: payment.createdAt.toISOString() });
    const notFound = { status: 404, body: { error: { code: 'not_found', message: 'Payment not found.' } } };
    expect(await getPayment(till.authorization, payment.id)).toEqual(notFound);
    expect(await getPayment(stranger.authorization, payment.id)).toEqual(notFound);
    expect(await getPayment(shop.authorization, randomUUID())).toEqual(notFound);
    expect(await getPayment(shop.authorization, 'nope')).toEqual(notFound);
  });
});
