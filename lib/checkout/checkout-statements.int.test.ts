import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caParty } from '@/lib/certificates/ca-client';
import { payCheckout } from '@/lib/checkout/pay-checkout';
import { startCheckout } from '@/lib/checkout/start-checkout';
import { timeRequest } from '@/lib/observability/timing';
import { createPInitReq, createPReq, openPInitRes } from '@/lib/set';
import { card, customer, storeWithOrder } from '@/lib/testing/checkout-fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

/**
 * Each statement costs a round trip, and a statement through Prisma costs 0.5–1 ms of CPU on a small machine
 * (docs/performance.md), which is why the checkout's run on the pool directly. The budget counts what the timing spans count: every statement,
 * BEGIN and COMMIT included, and every wait for a pooled connection.
 */
describe('checkout: database calls per authorization', () => {
  it('stays within 6 calls for the PInitReq (its replay check is shared by every instance) and 9 for the PReq of an approved payment', async () => {
    const { order, token } = await storeWithOrder(world);
    const party = await caParty();
    const init = createPInitReq({ brand: 'VISA', orderRef: order.id, bin: '411111' });
    const started = await timeRequest(() => startCheckout({ token, pinitReq: init.raw }));
    const opened = await openPInitRes(started.result.pinitRes, { party, request: init.message });
    const preq = await createPReq({ init: opened, request: init.message, orderDescription: order.description, account: card('4111111111111111') });
    const paid = await timeRequest(() => payCheckout({ token, preq: preq.raw, customer }));
    expect(paid.result.status).toBe('approved');
    expect(started.timing.calls.db).toBeLessThanOrEqual(6);
    expect(paid.timing.calls.db).toBeLessThanOrEqual(9);
    expect(paid.timing.calls.gateway).toBeGreaterThanOrEqual(1);
  });
});
