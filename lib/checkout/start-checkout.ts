import { randomUUID } from 'node:crypto';
import { randomId } from '@/lib/set';
import { createPInitRes, openPInitReq, type PInitRes } from '@/lib/set';
import { DatabaseReplayCache } from '@/lib/acquirers/request-nonce-cache';
import { caParty } from '@/lib/certificates/ca-client';
import { checkAffiliateSale } from '@/lib/affiliates/check-affiliate-sale';
import { checkoutAcquirers, findCheckoutOrder } from '@/lib/checkout/find-checkout-order';
import { routeAcquirer } from '@/lib/checkout/route-acquirer';
import { db, dbPool } from '@/lib/db/client';
import { joinSql, sql, sqlOnPool } from '@/lib/db/sql';
import { AppError } from '@/lib/errors';
import { assertAcquirerAvailable } from '@/lib/payments/acquirer-circuits';
import { gatewayCertificates } from '@/lib/payments/gateway-client';
import { loadMerchantKeys } from '@/lib/payments/load-merchant-keys';
import { assertStoreStatusCanAuthorize } from '@/lib/stores/assert-store-can-authorize';
import { isSetError } from '@/lib/set';

/**
 * PInitReqs seen by any app instance, in the database's table of request nonces (shared with the signed
 * acquirer requests): an exact replay is refused wherever it arrives (a wallet that retries makes a new
 * one). A PReq needs no such table: its claim (PENDING → AUTHORIZING, guarded in the database) lets one
 * through, on whichever instance.
 */
let replayCache: DatabaseReplayCache | undefined;

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

  const party = { ...(await caParty()), replayCache: (replayCache ??= new DatabaseReplayCache()) };
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
  const binRanges =
    request.bin && candidates.length > 0
      ? await sqlOnPool(dbPool()).rows<{ id: string; acquirerId: string; brand: string; binFrom: string; binTo: string }>(
        sql`SELECT "id", "acquirerId", "brand", "binFrom", "binTo" FROM "BinRange" WHERE "brand" = ${request.brand} AND "acquirerId" IN (${joinSql(candidates.map((candidate) => candidate.acquirer.id))})`,
        )
      : [];
  const method = routeAcquirer({ brand: request.brand, bin: request.bin ?? null, candidates, binRanges });
  if (!method) throw new AppError('purchase_mismatch', `This shop does not take ${request.brand} payments.`);
  // While the acquirer's circuit breaker is open the customer hears it now, before typing a card number (no payment is opened).
  assertAcquirerAvailable(method.acquirer, now);

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
  // The payment and its first timeline entry in one statement (atomic without a transaction); its id is made here.
  const paymentId = randomUUID();
  const createdAt = new Date();
  const affiliate = order.affiliateStoreId && order.affiliateGrantId ? { storeId: order.affiliateStoreId, grantId: order.affiliateGrantId } : null;
  await sqlOnPool(dbPool()).execute(sql`
    WITH payment AS (
      INSERT INTO "Payment" ("id", "storeId", "posId", "orderId", "acquirerId", "posAcquirerId", "xid", "brand", "amount", "currency", "status",
                             "affiliateStoreId", "affiliateGrantId", "initMessage", "createdAt", "updatedAt")
      VALUES (${paymentId}::uuid, ${order.storeId}::uuid, ${order.posId}::uuid, ${order.id}::uuid, ${method.acquirer.id}::uuid, ${method.posAcquirerId}::uuid,
              ${xid}, ${request.brand}, ${order.amount}::bigint, ${order.currency}, 'PENDING', ${affiliate?.storeId ?? null}::uuid, ${affiliate?.grantId ?? null}::uuid,
              ${JSON.stringify(message satisfies PInitRes)}::jsonb, ${createdAt}::timestamp, ${createdAt}::timestamp)
      RETURNING "id"
    )
    INSERT INTO "PaymentEvent" ("id", "storeId", "paymentId", "kind", "detail", "createdAt")
    SELECT ${randomUUID()}::uuid, ${order.storeId}::uuid, payment."id", 'PInitRes',
           ${JSON.stringify({ brand: request.brand, acquirer: method.acquirer.code, routing: method.rule })}::jsonb, ${createdAt}::timestamp
      FROM payment`);
  return { pinitRes: raw, paymentId };
}
