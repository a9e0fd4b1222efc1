import { randomBytes } from 'node:crypto';
import { caParty } from '@/lib/certificates/ca-client';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { startCheckout } from '@/lib/checkout/start-checkout';
import { db } from '@/lib/db/client';
import { createPInitReq, createPReq, openPInitRes, type PaymentAccount } from '@/lib/set';
import { createEnrolledStore, type SimWorld } from '@/lib/testing/sim-world';

/** Checkout fixtures for integration tests against the simulators: a registered store with an order, and the wallet's side. */

export const card = (pan: string): PaymentAccount => ({ kind: 'card', pan, expiry: '2031-12', cvc: '123' });
export const customer = { name: 'Yui Aoki', email: 'yui@example.test' };

/** A store registered at an acquirer (ACQ-CARD unless named) with an order pre-registered by its shop (as the POS API does). */
export async function storeWithOrder(world: SimWorld, options: { amount?: number; acquirerCode?: string } = {}) {
  const store = await createEnrolledStore(world, options.acquirerCode ? { acquirerCode: options.acquirerCode } : {});
  await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: { type: 'STORE_USER', id: store.userId }, acquisitionNumber: store.acquisitionNumber });
  const order = await orderFor(store, options);
  return { ...store, order, token: order.checkoutToken };
}

/** Another order of a store's POS, as its shop would register it: one teapot, payable for an hour. */
export async function orderFor(store: { storeId: string; posId: string }, options: { amount?: number; autoCapture?: boolean } = {}) {
  const token = randomBytes(32).toString('base64url');
  const amount = options.amount ?? 12_800;
  return db().order.create({
    data: {
      storeId: store.storeId,
      posId: store.posId,
      shopOrderRef: `shop-${token.slice(0, 10)}`,
      amount: BigInt(amount),
      currency: 'JPY',
      lineItems: [{ name: 'Teapot', unitAmount: amount, quantity: 1 }],
      description: `1 × Teapot @ ${amount} JPY`,
      successUrl: 'https://shop.example.test/thanks',
      failureUrl: 'https://shop.example.test/sorry',
      checkoutToken: token,
      autoCapture: options.autoCapture ?? false,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
}

/**
 * The wallet, as the checkout page runs it (lib/set in Node here): PInitReq (with a card's BIN, unless `bin: null`) → PInitRes → PReq.
 * `now` is the checkout's clock for the PInitReq (a test's own time).
 */
export async function walletPurchase(token: string, orderId: string, account: PaymentAccount, options: { description?: string; brand?: string; bin?: string | null; now?: Date } = {}) {
  const party = await caParty();
  const bin = options.bin === undefined ? (account.kind === 'card' ? account.pan.slice(0, 6) : undefined) : (options.bin ?? undefined);
  const init = createPInitReq({ brand: options.brand ?? 'VISA', orderRef: orderId, ...(bin ? { bin } : {}) });
  const { pinitRes } = await startCheckout({ token, pinitReq: init.raw, ...(options.now ? { now: options.now } : {}) });
  const opened = await openPInitRes(pinitRes, { party, request: init.message });
  const order = await db().order.findUniqueOrThrow({ where: { id: orderId } });
  const preq = await createPReq({ init: opened, request: init.message, orderDescription: options.description ?? order.description, account });
  return { preq, opened, party };
}

/** The acquirer's ledger entries for a merchant (and one XID), from its back office. */
export async function ledgerOf(world: SimWorld, merchantNumber: string, xid?: string, acquirer = 'ACQ-CARD') {
  const query = new URLSearchParams({ merchantNumber, ...(xid ? { xid } : {}) });
  const response = await fetch(`${world.sims.acquirers[acquirer]!.adminUrl}/ledger?${query}`);
  return ((await response.json()) as { entries: { type: string; xid: string; code: string; amount: number }[] }).entries;
}
