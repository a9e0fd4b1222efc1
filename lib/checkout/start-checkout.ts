import { randomUUID } from 'node:crypto';
import { randomId } from '@/lib/set';
import { createPInitRes, InMemoryReplayCache, openPInitReq, type PInitRes } from '@/lib/set';
import { caParty } from '@/lib/certificates/ca-client';
import { checkAffiliateSale } from '@/lib/affiliates/check-affiliate-sale';
import { checkoutAcquirers, findCheckoutOrder } from '@/lib/checkout/find-checkout-order';
import { routeAcquirer } from '@/lib/checkout/route-acquirer';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { gatewayCertificates } from '@/lib/payments/gateway-client';
import { loadMerchantKeys } from '@/lib/payments/load-merchant-keys';
import { assertStoreStatusCanAuthorize } from '@/lib/stores/assert-store-can-authorize';
import { isSetError } from '@/lib/set';

/** PInitReqs seen by this process: an exact replay is refused (a wallet that retries makes a new one). */
const replayCache = new InMemoryReplayCache();

/**
 * Checkout, step 1: the wallet's PInitReq (brand chosen, challenges) for a
 * pre-registered order. ServerPOS routes the brand to one of the store's
 * acquirers, opens a payment with a fresh XID, and answers a PInitRes signed
 * with the store's key for that acquirer, carrying the amount fixed on the
 * server and the gateway's key-exchange certificate for the wallet to seal
 * the card data to.
 *
 * Routing (routeAcquirer): among the acquirers the order's POS is registered
 * with that take the brand, the one whose BIN range (the operator's table)
 * holds the card's BIN most narrowly; else the first by name. The wallet
 * sends the BIN but may not choose the acquirer. The payment's timeline
 * records which rule chose it.
 *
 * An affiliated store's order (sold through another store's POS) is checked
 * against its grant here already — period, currency, brand, amount and the
 * day's total — so the customer learns before typing a card number; the
 * checkout checks again, under a lock, when it claims the payment.
 */
export async function startCheckout(input: { token: string; pinitReq: unknown; now?: Date }): Promise<{ pinitRes: string; paymentId: string }> {
  const now = input.now ?? new Date();
  const order = await findCheckoutOrder(input.token);
  if (order.status !== 'OPEN') throw new AppError('invalid_state_transition', order.status === 'PAID' ? 'This order is already paid.' : 'This order can no longer be paid.');
  if (order.expiresAt <= now) throw new AppError('invalid_state_transition', 'This order has expired. Return to the shop and order again.');
  assertStoreStatusCanAuthorize(order.store.status);

  const party = { ...(await caParty()), replayCache };
  let request;
  try {
    request = await openPInitReq(input.pinitReq, party);
  } catch (error) {
    if (isSetError(error)) throw new AppError('purchase_mismatch', `The payment request could not be read (${error.code}).`);
    throw error;
  }
  if (request.orderRef !== order.id) throw new AppError('purchase_mismatch', 'The payment request is for another order.');
  if (order.affiliateGrantId && order.affiliateStoreId) {
    await checkAffiliateSale(db(), {
      grantId: order.affiliateGrantId,
      affiliateStoreId: order.affiliateStoreId,
      amount: order.amount,
      currency: order.currency,
      brand: request.brand,
      now,
      dailyTotal: { day: now },
    });
  }
  const candidates = await checkoutAcquirers(order);
  const binRanges = request.bin
    ? await db().binRange.findMany({ where: { brand: request.brand, acquirerId: { in: candidates.map((candidate) => candidate.acquirer.id) } }, select: { id: true, acquirerId: true, brand: true, binFrom: true, binTo: true } })
    : [];
  const method = routeAcquirer({ brand: request.brand, bin: request.bin ?? null, candidates, binRanges });
  if (!method) throw new AppError('purchase_mismatch', `This shop does not take ${request.brand} payments.`);

  const [{ keys }, gateway] = await Promise.all([loadMerchantKeys(method.posAcquirerId, now), gatewayCertificates(method.acquirer)]);
  const xid = randomId();
  const { message, raw } = await createPInitRes({
    request,
    amount: { value: Number(order.amount), currency: order.currency },
    merchant: { acquirerId: method.acquirer.code, merchantNumber: method.merchantNumber },
    gatewayKeyExchange: gateway.keyExchange,
    signer: keys.signer,
    xid,
  });
  // Two inserts in one transaction; the payment's id is made here, so nothing is read back.
  const paymentId = randomUUID();
  await db().$transaction([
    db().payment.create({
      data: {
        id: paymentId,
        storeId: order.storeId,
        posId: order.posId,
        orderId: order.id,
        acquirerId: method.acquirer.id,
        posAcquirerId: method.posAcquirerId,
        xid,
        brand: request.brand,
        amount: order.amount,
        currency: order.currency,
        status: 'PENDING',
        ...(order.affiliateStoreId && order.affiliateGrantId ? { affiliateStoreId: order.affiliateStoreId, affiliateGrantId: order.affiliateGrantId } : {}),
        initMessage: message satisfies PInitRes as object,
      },
      select: { id: true },
    }),
    db().paymentEvent.create({ data: { storeId: order.storeId, paymentId, kind: 'PInitRes', detail: { brand: request.brand, acquirer: method.acquirer.code, routing: method.rule } }, select: { id: true } }),
  ]);
  return { pinitRes: raw, paymentId };
}
