import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caParty } from '@/lib/certificates/ca-client';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { startCheckout } from '@/lib/checkout/start-checkout';
import { db } from '@/lib/db/client';
import { resolveUnknownPayments } from '@/lib/payments/resolve-unknown-payments';
import { createPInitReq, createPReq, openPInitRes, openPRes } from '@/lib/set';
import { card, customer, ledgerOf, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

describe('checkout: the wallet pays a pre-registered order through the acquirer', () => {
  it('approves a good card: payment authorised, order paid, one ledger entry, a PRes the wallet verifies, no card number stored', async () => {
    const { order, token, merchantNumber } = await storeWithOrder(world);
    const { preq, opened, party } = await walletPurchase(token, order.id, card('4111111111111111'));
    const outcome = await payCheckout({ token, preq: preq.raw, customer });
    expect(outcome).toMatchObject({ status: 'approved', code: 'approved' });
    expect(outcome.returnUrl).toBe(`https://shop.example.test/thanks?order=${order.shopOrderRef}`);
    const pres = await openPRes(outcome.pres, { party, preq: preq.message, oi: preq.oi, merchant: opened.merchant });
    expect(pres.result.status).toBe('approved');

    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id }, include: { events: true, transactions: true } });
    expect(payment).toMatchObject({ status: 'AUTHORIZED', brand: 'VISA' });
    expect(payment.authCode).toMatch(/^[A-Z0-9]{6}$/);
    expect(payment.handlingNumber).toMatch(/^H-/);
    expect(payment.transactions).toMatchObject([{ type: 'AUTHORIZE', status: 'SUCCEEDED', responseCode: 'approved' }]);
    expect(payment.events.map((event) => event.kind)).toEqual(expect.arrayContaining(['PInitRes', 'AuthReq', 'AuthRes']));
    expect(await db().order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: 'PAID', customer });
    expect((await ledgerOf(world, merchantNumber, payment.xid)).map((entry) => entry.type)).toEqual(['authorization']);
    // ServerPOS never had the card number: nothing it stored holds it.
    const stored = JSON.stringify(await db().payment.findMany({ where: { orderId: order.id }, include: { events: true, transactions: true, order: true } }), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
    expect(stored).not.toContain('4111111111111111');
  });

  it('declines with the acquirer\'s reason in English and Japanese', async () => {
    const { order, token } = await storeWithOrder(world);
    const { preq } = await walletPurchase(token, order.id, card('4000000000009995'));
    const outcome = await payCheckout({ token, preq: preq.raw, customer });
    expect(outcome).toMatchObject({ status: 'declined', code: 'insufficient_funds', message: { en: 'The card has insufficient funds.', ja: 'カードの利用可能額が不足しています。' } });
    expect(outcome.returnUrl).toContain('https://shop.example.test/sorry');
    expect(await db().payment.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({ status: 'DECLINED', declineCode: 'insufficient_funds' });
    expect(await db().order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: 'OPEN' });
  });

  it('refuses an order description altered in the browser before any gateway is called', async () => {
    const { order, token, merchantNumber } = await storeWithOrder(world);
    const { preq } = await walletPurchase(token, order.id, card('4111111111111111'), { description: '1 × Teapot @ 1 JPY' });
    await expect(payCheckout({ token, preq: preq.raw, customer })).rejects.toMatchObject({ code: 'purchase_mismatch' });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment.status).toBe('PENDING');
    expect(await ledgerOf(world, merchantNumber, payment.xid)).toEqual([]);
  });

  it('refuses an amount altered in the browser (OI not matching the PInitRes) before any gateway is called', async () => {
    const { order, token, merchantNumber } = await storeWithOrder(world);
    const party = await caParty();
    const init = createPInitReq({ brand: 'VISA', orderRef: order.id });
    const { pinitRes } = await startCheckout({ token, pinitReq: init.raw });
    const opened = await openPInitRes(pinitRes, { party, request: init.message });
    // The page's script changes the amount it puts in OI and PI.
    const tampered = { ...opened, message: { ...opened.message, amount: { value: 1, currency: 'JPY' } } };
    const preq = await createPReq({ init: tampered, request: init.message, orderDescription: order.description, account: card('4111111111111111') });
    await expect(payCheckout({ token, preq: preq.raw, customer })).rejects.toMatchObject({ code: 'purchase_mismatch' });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(await ledgerOf(world, merchantNumber, payment.xid)).toEqual([]);
  });

  it('authorises a replayed PReq once', async () => {
    const { order, token, merchantNumber } = await storeWithOrder(world);
    const { preq } = await walletPurchase(token, order.id, card('4111111111111111'));
    const [first, second] = await Promise.allSettled([payCheckout({ token, preq: preq.raw, customer }), payCheckout({ token, preq: preq.raw, customer })]);
    const results = [first, second];
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: expect.stringMatching(/payment_already_processed|purchase_mismatch/) } });
    await expect(payCheckout({ token, preq: preq.raw, customer })).rejects.toMatchObject({ code: expect.stringMatching(/payment_already_processed|purchase_mismatch/) });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect((await ledgerOf(world, merchantNumber, payment.xid)).filter((entry) => entry.type === 'authorization')).toHaveLength(1);
    // The refused claims wrote nothing: one request record and one AuthReq on the timeline.
    expect(await db().paymentTransaction.count({ where: { paymentId: payment.id, type: 'AUTHORIZE' } })).toBe(1);
    expect(await db().paymentEvent.count({ where: { paymentId: payment.id, kind: 'AuthReq' } })).toBe(1);
  });

  it('authorises an order once when two checkouts of it (two tabs, or a retry after a lost answer) pay at the same moment', async () => {
    const { order, token, merchantNumber } = await storeWithOrder(world);
    const tabs = await Promise.all([walletPurchase(token, order.id, card('4111111111111111')), walletPurchase(token, order.id, card('4111111111111111'))]);
    const results = await Promise.allSettled(tabs.map(({ preq }) => payCheckout({ token, preq: preq.raw, customer })));
    expect(results.filter((result) => result.status === 'fulfilled' && result.value.status === 'approved')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'payment_already_processed' } });
    const payments = await db().payment.findMany({ where: { orderId: order.id }, orderBy: { status: 'asc' } });
    expect(payments.map((payment) => payment.status).sort()).toEqual(['AUTHORIZED', 'PENDING']);
    const authorizations = (await ledgerOf(world, merchantNumber)).filter((entry) => entry.type === 'authorization' && payments.some((payment) => payment.xid === entry.xid));
    expect(authorizations).toHaveLength(1);
    // The refused tab's payment never left PENDING, and its timeline says why.
    const refused = payments.find((payment) => payment.status === 'PENDING')!;
    expect(await db().paymentEvent.findFirst({ where: { paymentId: refused.id, kind: 'refused' } })).toMatchObject({ code: 'payment_already_processed' });
  });

  it('refuses a suspended store and an expired certificate before any gateway is called', async () => {
    const suspended = await storeWithOrder(world);
    const { preq } = await walletPurchase(suspended.token, suspended.order.id, card('4111111111111111'));
    await db().store.update({ where: { id: suspended.storeId }, data: { status: 'SUSPENDED', suspendedBy: 'STORE', suspendedAt: new Date(), suspendedReason: 'test' } });
    await expect(payCheckout({ token: suspended.token, preq: preq.raw, customer })).rejects.toMatchObject({ code: 'store_inactive' });
    await expect(walletPurchase(suspended.token, suspended.order.id, card('4111111111111111'))).rejects.toMatchObject({ code: 'store_inactive' });

    const expired = await storeWithOrder(world);
    await db().certificate.updateMany({ where: { storeId: expired.storeId }, data: { notAfter: new Date(Date.now() - 1000) } });
    await expect(walletPurchase(expired.token, expired.order.id, card('4111111111111111'))).rejects.toMatchObject({ code: 'certificate_unavailable' });
    expect(await ledgerOf(world, expired.merchantNumber)).toEqual([]);
  });

  it('records an unknown outcome with a deadline when the issuer never answers', async () => {
    const { order, token } = await storeWithOrder(world);
    const { preq } = await walletPurchase(token, order.id, card('4000000000000408'));
    const outcome = await payCheckout({ token, preq: preq.raw, customer, timeoutMs: 1_500 });
    expect(outcome).toMatchObject({ status: 'unknown', code: 'unknown_outcome' });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment.status).toBe('UNKNOWN');
    expect(payment.resolveBy!.getTime()).toBeGreaterThan(Date.now());
  });

  it('settles an unknown outcome: a dropped reply is found authorised by inquiry; an issuer that never answers is reversed at the deadline', async () => {
    const admin = world.sims.acquirers['ACQ-CARD']!.adminUrl;
    const dropped = await storeWithOrder(world);
    const { preq } = await walletPurchase(dropped.token, dropped.order.id, card('4111111111111111'));
    await fetch(`${admin}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ dropReplyRate: 1 }) });
    try {
      expect(await payCheckout({ token: dropped.token, preq: preq.raw, customer })).toMatchObject({ status: 'unknown' });
    } finally {
      await fetch(`${admin}/faults`, { method: 'DELETE' });
    }
    // (Counts cover every unknown payment of the database, this file's others too.)
    expect((await resolveUnknownPayments(db())).authorized).toBe(1);
    const found = await db().payment.findFirstOrThrow({ where: { orderId: dropped.order.id }, include: { events: true } });
    expect(found).toMatchObject({ status: 'AUTHORIZED', resolveBy: null });
    expect(found.authCode).toMatch(/^[A-Z0-9]{6}$/);
    expect(await db().order.findUniqueOrThrow({ where: { id: dropped.order.id } })).toMatchObject({ status: 'PAID' });
    expect(found.events.map((event) => event.kind)).toContain('InqRes');

    const silent = await storeWithOrder(world);
    const silentPurchase = await walletPurchase(silent.token, silent.order.id, card('4000000000000408'));
    await payCheckout({ token: silent.token, preq: silentPurchase.preq.raw, customer, timeoutMs: 1_000 });
    // Before the deadline the inquiry finds nothing and the payment waits.
    expect((await resolveUnknownPayments(db())).still_unknown).toBeGreaterThanOrEqual(1);
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: silent.order.id } });
    expect(payment.status).toBe('UNKNOWN');
    const afterDeadline = new Date(payment.resolveBy!.getTime() + 1000);
    expect((await resolveUnknownPayments(db(), afterDeadline)).not_authorized).toBeGreaterThanOrEqual(1);
    const closed = await db().payment.findUniqueOrThrow({ where: { id: payment.id }, include: { events: true } });
    expect(closed).toMatchObject({ status: 'FAILED', declineCode: 'unknown_outcome_reversed' });
    expect(closed.events.map((event) => event.kind)).toEqual(expect.arrayContaining(['InqRes', 'AuthRevRes']));
    expect((await ledgerOf(world, silent.merchantNumber, payment.xid)).filter((entry) => entry.type === 'authorization')).toEqual([]);
  });

  it('refuses a checkout link that names nothing, and a brand the store does not take', async () => {
    const { order, token } = await storeWithOrder(world);
    await expect(startCheckout({ token: randomBytes(32).toString('base64url'), pinitReq: createPInitReq({ brand: 'VISA', orderRef: order.id }).raw })).rejects.toMatchObject({ code: 'not_found' });
    await expect(startCheckout({ token, pinitReq: createPInitReq({ brand: 'JCB', orderRef: order.id }).raw })).rejects.toMatchObject({ code: 'purchase_mismatch' });
    await expect(startCheckout({ token, pinitReq: '{"msg":"PInitReq"' })).rejects.toMatchObject({ code: 'purchase_mismatch' });
  });
});
