import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBinRange } from '@/lib/acquirers/add-bin-range';
import type { Actor } from '@/lib/audit/record-audit-event';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { db } from '@/lib/db/client';
import { card, customer, ledgerOf, storeWithOrder, walletPurchase } from '@/lib/testing/checkout-fixtures';
import { createOperator } from '@/lib/testing/fixtures';
import { enrolAt, startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

/**
 * Routing by the operator's BIN-range table against real simulated gateways: two acquirers take VISA
 * (ACQ-CARD "Aozora Card Services", and here ACQ-JCB "Fuji JCB Acquiring" too), and the store's POS is
 * registered with both.
 */

let world: SimWorld;
let operator: Actor;
const rangeIds: string[] = [];

beforeAll(async () => {
  world = await startSimWorld({ extraBrands: { 'ACQ-JCB': ['VISA'] } });
  operator = { type: 'OPERATOR', id: (await createOperator()).userId };
});

afterAll(async () => {
  // The table is shared by every test file of the run: leave it as it was.
  await db().binRange.deleteMany({ where: { id: { in: rangeIds } } });
  await world?.stop();
});

/** A store at ACQ-CARD (as the checkout tests have it) whose POS is registered at ACQ-JCB as well. */
async function storeAtBothAcquirers() {
  const store = await storeWithOrder(world);
  const jcb = await enrolAt(world, { storeId: store.storeId, storeName: 'Test Books', acquirerCode: 'ACQ-JCB', posIds: [store.posId] });
  await issuePosCertificates({ storeId: store.storeId, posAcquirerId: jcb.posAcquirerIds[0]!, actor: { type: 'STORE_USER', id: store.userId }, acquisitionNumber: jcb.acquisitionNumber });
  return { ...store, jcbMerchantNumber: jcb.merchantNumber };
}

/** The range through the operator's own function, once per file (tests of this file share it). */
async function range(acquirerCode: string, binFrom: string, binTo: string) {
  const acquirerId = world.acquirerIds[acquirerCode]!;
  const existing = await db().binRange.findFirst({ where: { id: { in: rangeIds }, acquirerId, brand: 'VISA', binFrom, binTo } });
  if (existing) return existing;
  const added = await addBinRange({ actor: operator, input: { acquirerId, brand: 'VISA', binFrom, binTo } });
  rangeIds.push(added.id);
  return added;
}

describe('BIN routing', () => {
  it('sends a card whose BIN is in a range of the acquirer second by name there; its gateway’s ledger has the authorisation, the first one’s nothing', async () => {
    const store = await storeAtBothAcquirers();
    const added = await range('ACQ-JCB', '411111', '411111');

    const { preq } = await walletPurchase(store.token, store.order.id, card('4111111111111111'));
    const outcome = await payCheckout({ token: store.token, preq: preq.raw, customer });

    expect(outcome).toMatchObject({ status: 'approved' });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: store.order.id }, include: { events: true } });
    expect(payment).toMatchObject({ status: 'AUTHORIZED', acquirerId: world.acquirerIds['ACQ-JCB'] });
    expect((await ledgerOf(world, store.jcbMerchantNumber, payment.xid, 'ACQ-JCB')).map((entry) => entry.type)).toEqual(['authorization']);
    expect(await ledgerOf(world, store.merchantNumber, payment.xid, 'ACQ-CARD')).toEqual([]);
    // The timeline says which rule chose the acquirer; the BIN itself is not kept.
    const init = payment.events.find((event) => event.kind === 'PInitRes');
    expect(init?.detail).toMatchObject({ brand: 'VISA', acquirer: 'ACQ-JCB', routing: { kind: 'bin_range', binRangeId: added.id, binFrom: '411111', binTo: '411111' } });
  });

  it('falls back to the acquirer first by name when no range holds the BIN, or when the wallet sent none', async () => {
    const store = await storeAtBothAcquirers();
    await range('ACQ-JCB', '411111', '411111');

    const other = await walletPurchase(store.token, store.order.id, card('4000000000000101'));
    expect(await payCheckout({ token: store.token, preq: other.preq.raw, customer })).toMatchObject({ status: 'approved' });
    const payment = await db().payment.findFirstOrThrow({ where: { orderId: store.order.id }, include: { events: true } });
    expect(payment.acquirerId).toBe(world.acquirerIds['ACQ-CARD']);
    expect((await ledgerOf(world, store.merchantNumber, payment.xid, 'ACQ-CARD')).map((entry) => entry.type)).toEqual(['authorization']);
    expect(await ledgerOf(world, store.jcbMerchantNumber, payment.xid, 'ACQ-JCB')).toEqual([]);
    expect(payment.events.find((event) => event.kind === 'PInitRes')?.detail).toMatchObject({ acquirer: 'ACQ-CARD', routing: { kind: 'fallback' } });

    const second = await storeAtBothAcquirers();
    await walletPurchase(second.token, second.order.id, card('4111111111111111'), { bin: null });
    const unrouted = await db().payment.findFirstOrThrow({ where: { orderId: second.order.id }, include: { events: true } });
    expect(unrouted.acquirerId).toBe(world.acquirerIds['ACQ-CARD']);
    expect(unrouted.events[0]?.detail).toMatchObject({ routing: { kind: 'fallback' } });
  });
});
