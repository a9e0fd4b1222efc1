import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { systemActor } from '@/lib/audit/record-audit-event';
import { caParty } from '@/lib/certificates/ca-client';
import { claimPayment, recordRefusal } from '@/lib/checkout/claim-payment';
import { findCheckoutOrderPayment } from '@/lib/checkout/find-checkout-order';
import { dbPool, type Prisma } from '@/lib/db/client';
import { empty, sql, sqlTransaction } from '@/lib/db/sql';
import { env } from '@/lib/env';
import { AppError, isAppError } from '@/lib/errors';
import { admitGatewayCall, type CircuitAcquirer } from '@/lib/payments/acquirer-circuits';
import type { CircuitPermit } from '@/lib/payments/circuit-breaker';
import { announceSettlement } from '@/lib/payments/announce-settlement';
import { gatewayCertificates, sendToGateway } from '@/lib/payments/gateway-client';
import { newHandlingNumber } from '@/lib/payments/handling-number';
import { loadMerchantKeys } from '@/lib/payments/load-merchant-keys';
import { queueCapture } from '@/lib/payments/queue-capture';
import { createAuthReq, createPRes, InMemoryReplayCache, isSetError, openGatewayResponse, openPReq, sha256, utf8, type PInitRes, type Result } from '@/lib/set';
import { log, describeError } from '@/lib/log';
import { applyAcquirerStoreInfo } from '@/lib/stores/apply-acquirer-store-info';
import { assertStoreStatusCanAuthorize } from '@/lib/stores/assert-store-can-authorize';
import { textField, emailSchema } from '@/lib/stores/schemas';
import { parseInput } from '@/lib/validation';
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue-webhook-event';

/**
 * PReqs seen by this process: an exact replay is refused early, before the card data is unsealed. Across
 * app instances the claim is the guard: one PENDING → AUTHORIZING change per payment, one live payment per order.
 */
const replayCache = new InMemoryReplayCache();

/** What the customer enters besides the card: it goes to the shop, never the card data. */
export const checkoutCustomerSchema = z.strictObject({
  name: textField('your name', 120),
  email: emailSchema,
  phone: z.string().trim().max(40).regex(/^[0-9 +()-]*$/, 'Enter a phone number of digits, spaces and + ( ) -.').optional(),
  address: z.string().trim().max(500).optional(),
});

export interface CheckoutOutcome {
  status: 'approved' | 'declined' | 'unknown' | 'failed';
  code: string;
  message: { en: string; ja: string };
  /** The signed PRes for the wallet (absent when nothing could be signed). */
  pres?: string;
  /** Where the browser goes back to: the shop's URL with the order reference only. */
  returnUrl: string;
}

const failureText = {
  unknown: { en: 'The payment could not be confirmed yet. The shop will be told the result; you will not be charged twice.', ja: 'お支払いの結果をまだ確認できません。結果はショップに通知され、二重に請求されることはありません。' },
  gateway_unavailable: { en: 'The card network is not reachable right now. Nothing was charged; please try again.', ja: '現在カード決済網に接続できません。請求は行われていません。もう一度お試しください。' },
};

/**
 * Checkout, step 2: the wallet's PReq. Before any gateway is called, the
 * purchase is checked against the pre-registered order and the PInitRes it
 * answers (XID, challenges, amount, currency, order-description hash, order
 * still open, payment not already processed, store active, certificate
 * valid); any mismatch ends it here. Then the AuthReq is signed with the
 * store's key for that acquirer and sent; the AuthRes is verified and
 * recorded, and the PRes answers the wallet.
 */
export async function payCheckout(input: { token: string; preq: unknown; customer: unknown; now?: Date; timeoutMs?: number }): Promise<CheckoutOutcome> {
  const now = input.now ?? new Date();
  const customer = parseInput(checkoutCustomerSchema, input.customer);
  // The order and the payment its PReq names (by XID, among this order's payments), in one read.
  const xid = xidOf(input.preq);
  const { order, payment } = await findCheckoutOrderPayment(input.token, xid);
  const returnUrl = (ok: boolean) => {
    const url = new URL(ok ? order.successUrl : order.failureUrl);
    url.searchParams.set('order', order.shopOrderRef);
    return url.toString();
  };

  if (!payment || !payment.initMessage || !payment.posAcquirerId || !payment.acquirer) throw new AppError('purchase_mismatch', 'The purchase request is not for a payment of this order.');
  if (payment.status !== 'PENDING') throw new AppError('payment_already_processed', 'This payment was already processed.');

  const party = { ...(await caParty()), replayCache };
  let opened;
  try {
    opened = await openPReq(input.preq, { party, init: payment.initMessage as unknown as PInitRes });
  } catch (error) {
    if (isSetError(error)) throw new AppError('purchase_mismatch', `The purchase request does not match this payment (${error.code}).`);
    throw error;
  }
  // Against the order as the shop registered it, not only against what this payment said.
  if (opened.oi.amount.value !== Number(order.amount) || opened.oi.amount.currency !== order.currency) throw new AppError('purchase_mismatch', 'The amount does not match the order.');
  if (opened.oi.orderRef !== order.id) throw new AppError('purchase_mismatch', 'The purchase request is for another order.');
  if (opened.oi.odHash !== (await sha256(utf8(order.description)))) throw new AppError('purchase_mismatch', 'The order contents do not match the order.');
  if (order.status !== 'OPEN' || order.expiresAt <= now) throw new AppError('invalid_state_transition', 'This order can no longer be paid.');
  // Read with the order; the claim below checks it again under the store's lock.
  assertStoreStatusCanAuthorize(order.store.status);

  // The acquirer's circuit breaker (lib/payments/circuit-breaker.ts), in memory: while it is open the payment stays
  // PENDING with a "refused" entry, nothing is signed, claimed or sent, and the customer may try again.
  const permit = await admitAuthorization({ id: payment.id, storeId: payment.storeId, acquirer: payment.acquirer }, now);
  // Until the request leaves, a failure of ours gives the breaker no verdict; a gateway that cannot show its certificate is failing.
  const abandon = (error: unknown): never => {
    permit.abandoned();
    throw error;
  };
  const { keys } = await loadMerchantKeys(payment.posAcquirerId, now).catch(abandon);
  const gateway = await gatewayCertificates(payment.acquirer).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'upstream_unavailable') permit.failed(now, 'gateway certificates unavailable');
    return abandon(error);
  });

  // A POS that captures in the daily batch queues the auto-capture with the approval instead of capturing with the authorisation.
  const captureNow = order.autoCapture && order.pos.captureMode !== 'DAILY_BATCH';
  const authReq = await createAuthReq(opened, { merchant: keys, gateway: gateway.recipient, captureNow }).catch(abandon);
  const transactionId = randomUUID();
  const claimedAt = new Date();

  // One authorization per payment: the claim is what makes a replayed or doubled PReq harmless (and, for an
  // affiliated store's sale, where its grant's limits are checked under the grant's lock). The request's
  // record commits with the claim, in one commit, before the request leaves.
  await claimPayment({
    payment,
    now,
    alongside: [
      sql`UPDATE "Order" SET "customer" = ${JSON.stringify(customer)}::jsonb, "updatedAt" = ${claimedAt}::timestamp WHERE "id" = ${order.id}::uuid AND EXISTS (SELECT 1 FROM claimed)`,
      sql`INSERT INTO "PaymentEvent" ("id", "storeId", "paymentId", "kind", "detail", "createdAt")
          SELECT ${randomUUID()}::uuid, ${order.storeId}::uuid, claimed."id", 'AuthReq', ${JSON.stringify({ rrpid: authReq.message.rrpid, captureNow })}::jsonb, ${claimedAt}::timestamp FROM claimed`,
      sql`INSERT INTO "PaymentTransaction" ("id", "storeId", "paymentId", "type", "amount", "requestId", "createdAt")
          SELECT ${transactionId}::uuid, ${order.storeId}::uuid, claimed."id", 'AUTHORIZE', ${order.amount}::bigint, ${authReq.message.rrpid}, ${claimedAt}::timestamp FROM claimed`,
    ],
  }).catch(abandon);

  const outcome = await sendToGateway(payment.acquirer, authReq.raw, input.timeoutMs ?? env().GATEWAY_TIMEOUT_MS);
  // The breaker's verdict: any answer that verifies (an approval, a decline, a protocol refusal) or an HTTP 4xx means
  // the gateway works; no answer, a refused connection, a 5xx or an answer that does not verify count against it.
  const answeredAt = new Date(now.getTime() + outcome.latencyMs);
  let result: Result;
  let status: CheckoutOutcome['status'];
  // What the answer was, for the payment's timeline: recorded in the outcome's transaction below.
  let timeline: { kind: string; code: string; latencyMs: number; detail?: Prisma.InputJsonObject };
  if (outcome.kind === 'answered') {
    const answer = await openGatewayResponse<'AuthReq'>(outcome.raw, { party: { validator: party.validator }, merchant: keys, request: authReq.message }).catch((error: unknown) => {
      if (!isSetError(error)) return abandon(error);
      return error;
    });
    if (isSetError(answer)) permit.failed(answeredAt, `unverifiable answer (${answer.code})`);
    else permit.succeeded(answeredAt);
    if (isSetError(answer)) {
      // An answer that does not verify is no answer: the outcome is unknown until an inquiry settles it.
      result = { status: 'pending', code: 'unknown_outcome', message: failureText.unknown };
      status = 'unknown';
      timeline = { kind: 'AuthRes', code: answer.code, latencyMs: outcome.latencyMs, detail: { verified: false } };
    } else if (answer.message.msg === 'AuthRes') {
      result = answer.message.result;
      status = result.status === 'approved' ? 'approved' : result.status === 'declined' ? 'declined' : 'unknown';
      timeline = { kind: 'AuthRes', code: result.code, latencyMs: outcome.latencyMs };
      // An answer carrying newer store information updates the store (the newer version wins; see store information).
      if (answer.message.storeInfo) {
        await applyAcquirerStoreInfo({ storeId: order.storeId, acquirerId: payment.acquirer.id, info: answer.message.storeInfo }).catch((error: unknown) =>
          log.warn('store information from an authorization was not applied', { paymentId: payment.id, ...describeError(error) }),
        );
      }
    } else {
      // A protocol Error from the gateway: it refused the request (e.g. merchant suspended there).
      result = { status: 'error', code: answer.message.code, message: { en: answer.message.message, ja: answer.message.message } };
      status = 'failed';
      timeline = { kind: 'Error', code: answer.message.code, latencyMs: outcome.latencyMs };
    }
  } else if (outcome.kind === 'not_sent') {
    permit.failed(answeredAt, outcome.reason);
    result = { status: 'error', code: 'gateway_unavailable', message: failureText.gateway_unavailable };
    status = 'failed';
    timeline = { kind: 'AuthReq', code: 'not_sent', latencyMs: outcome.latencyMs, detail: { reason: outcome.reason } };
  } else if (outcome.kind === 'refused') {
    permit.succeeded(answeredAt);
    result = { status: 'error', code: outcome.code.replace(/[^a-z0-9_]/g, '_').slice(0, 60) || 'refused', message: { en: outcome.message, ja: outcome.message } };
    status = 'failed';
    timeline = { kind: 'AuthReq', code: outcome.code, latencyMs: outcome.latencyMs };
  } else {
    permit.failed(answeredAt, outcome.reason);
    result = { status: 'pending', code: 'unknown_outcome', message: failureText.unknown };
    status = 'unknown';
    timeline = { kind: 'AuthReq', code: 'unknown', latencyMs: outcome.latencyMs, detail: { reason: outcome.reason } };
  }

  const message = result.message ?? { en: result.code, ja: result.code };
  // The outcome's records in one statement, then the shop's event and any capture, in one transaction on the pool
  // (lib/db/sql.ts): the timeline entry, the request's transaction row, the payment, and the order when paid.
  const at = new Date();
  const paymentChange =
    status === 'approved'
      ? sql`"status" = ${captureNow ? 'CAPTURED' : 'AUTHORIZED'}::"PaymentStatus", "authCode" = ${result.authCode ?? null}, "handlingNumber" = ${newHandlingNumber()}${captureNow ? sql`, "capturedAmount" = ${order.amount}::bigint` : empty}`
      : status === 'unknown'
        ? sql`"status" = 'UNKNOWN', "resolveBy" = ${new Date(now.getTime() + env().UNKNOWN_OUTCOME_DEADLINE_SECONDS * 1000)}::timestamp`
        : sql`"status" = ${status === 'declined' ? 'DECLINED' : 'FAILED'}::"PaymentStatus", "declineCode" = ${result.code}, "declineMessage" = ${JSON.stringify(message)}::jsonb`;
  const transactionStatus = status === 'approved' ? 'SUCCEEDED' : status === 'unknown' ? 'UNKNOWN' : 'FAILED';
  await sqlTransaction(dbPool(), async (tx) => {
    const recorded = await tx.execute(sql`
      WITH event AS (
        INSERT INTO "PaymentEvent" ("id", "storeId", "paymentId", "kind", "code", "latencyMs", "detail", "createdAt")
        VALUES (${randomUUID()}::uuid, ${order.storeId}::uuid, ${payment.id}::uuid, ${timeline.kind}, ${timeline.code}, ${timeline.latencyMs}::int,
                ${JSON.stringify(timeline.detail ?? {})}::jsonb, ${at}::timestamp)
        RETURNING "id"
      ), request AS (
        UPDATE "PaymentTransaction"
           SET "status" = ${transactionStatus}::"PaymentTransactionStatus", "responseCode" = ${result.code}, "latencyMs" = ${outcome.latencyMs}::int, "completedAt" = ${at}::timestamp
         WHERE "id" = ${transactionId}::uuid
        RETURNING "id"
      ), paid AS (
        UPDATE "Order" SET "status" = 'PAID', "updatedAt" = ${at}::timestamp WHERE "id" = ${order.id}::uuid AND ${status === 'approved'}::boolean
        RETURNING "id"
      )
      UPDATE "Payment" SET ${paymentChange}, "updatedAt" = ${at}::timestamp WHERE "id" = ${payment.id}::uuid AND "status" = 'AUTHORIZING'`);
    // Only this checkout moves its claimed payment on; anything else means the records are not what was claimed.
    if (recorded !== 1) throw new Error('The payment being authorised is no longer in AUTHORIZING: its outcome was not recorded.');
    // The shop hears of every settled outcome; an unknown one is told when the worker settles it.
    const outcomeEvent = ({ approved: 'payment.authorized', declined: 'payment.declined', failed: 'payment.failed', unknown: null } as const)[status];
    if (outcomeEvent) await enqueueWebhookEvent(tx, { storeId: order.storeId, posId: payment.posId, paymentId: payment.id, type: outcomeEvent });
    if (status === 'approved' && captureNow) await announceSettlement(tx, { storeId: order.storeId, paymentId: payment.id, kind: 'capture', amount: order.amount });
    if (status === 'approved' && order.autoCapture && !captureNow) await queueCapture(tx, { payment: { id: payment.id, storeId: order.storeId }, amount: order.amount, actor: systemActor, automatic: true });
  });

  const pres = await createPRes({ preq: opened, result, signer: keys.signer });
  return { status, code: result.code, message, pres: pres.raw, returnUrl: returnUrl(status === 'approved') };
}

/** The acquirer's breaker admits the authorisation; or its refusal (acquirer_unavailable) goes on the payment's timeline and is thrown. */
async function admitAuthorization(payment: { id: string; storeId: string; acquirer: CircuitAcquirer }, now: Date): Promise<CircuitPermit> {
  try {
    return admitGatewayCall(payment.acquirer, now);
  } catch (error) {
    if (isAppError(error)) await recordRefusal(payment, error);
    throw error;
  }
}

/** The XID a PReq names, read only to find its payment; openPReq then checks the whole message. */
function xidOf(preq: unknown): string | undefined {
  if (typeof preq !== 'string' || preq.length > 64 * 1024) return undefined;
  try {
    const value = (JSON.parse(preq) as { xid?: unknown }).xid;
    return typeof value === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
