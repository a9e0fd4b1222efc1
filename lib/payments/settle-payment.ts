import { randomUUID } from 'node:crypto';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import type { PaymentStatus, PaymentTransactionType } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';
import { announceSettlement } from '@/lib/payments/announce-settlement';
import { callGateway, type GatewayCall } from '@/lib/payments/call-gateway';
import type { GatewayAcquirer } from '@/lib/payments/gateway-client';
import { assertPaymentTransition } from '@/lib/payments/payment-status';
import { assertNoQueuedCapture, capturesInDailyBatch, queueCapture } from '@/lib/payments/queue-capture';
import { randomId } from '@/lib/set';

export type SettlementKind = 'capture' | 'void' | 'refund';

export interface SettlementInput {
  storeId: string;
  /** When given (the POS API), only this POS's payments are found. */
  posId?: string;
  paymentId: string;
  /** Minor units; capture and refund default to what remains. */
  amount?: bigint;
  actor: Actor;
}

const typeOf: Record<SettlementKind, PaymentTransactionType> = { capture: 'CAPTURE', void: 'VOID', refund: 'REFUND' };
const verb: Record<SettlementKind, string> = { capture: 'captured', void: 'voided', refund: 'refunded' };

/**
 * Capture, void or refund one payment through its acquirer's gateway
 * (CapReq, AuthRevReq to zero, CredReq), with the state machine enforced:
 * captured ≤ authorised, refunded ≤ captured, no void after a capture.
 *
 * The amounts are reserved first: in one transaction that locks the payment
 * row, a PENDING transaction is written after checking what is already
 * captured or refunded and what is pending, so concurrent requests cannot
 * together exceed the limits. Then the gateway is asked, with the
 * transaction's id as its request id (a retry is the same request to the
 * gateway), and its answer recorded. Captures, voids and refunds stay allowed
 * for a suspended store: money already promised settles.
 */
export async function settlePayment(kind: SettlementKind, input: SettlementInput): Promise<{ paymentId: string; status: PaymentStatus; transactionId: string; result: 'succeeded' | 'refused' | 'unknown' | 'queued'; code: string }> {
  // Ids come from forms and paths: one that is not a UUID names no payment (and would fail the ::uuid cast).
  if (!isUuid(input.paymentId) || !isUuid(input.storeId)) throw new AppError('not_found', 'No such payment.');
  const reserved = await db().$transaction(async (tx) => {
    const [payment] = await tx.$queryRaw<{ id: string }[]>`SELECT "id"::text FROM "Payment" WHERE "id" = ${input.paymentId}::uuid AND "storeId" = ${input.storeId}::uuid FOR UPDATE`;
    if (!payment) throw new AppError('not_found', 'No such payment.');
    const row = await tx.payment.findUniqueOrThrow({
      where: { id: input.paymentId },
      include: { transactions: { where: { status: { in: ['QUEUED', 'PENDING', 'UNKNOWN'] } } }, acquirer: true },
    });
    if (input.posId && row.posId !== input.posId) throw new AppError('not_found', 'No such payment.');
    if (!row.acquirer || !row.posAcquirerId || !row.authCode) throw new AppError('invalid_state_transition', 'This payment was never authorised.');
    // Captures waiting for the POS's daily batch are not in flight, but count against what may still be captured.
    const queued = row.transactions.filter((transaction) => transaction.status === 'QUEUED');
    assertNoQueuedCapture(kind, queued);
    const inFlight = row.transactions.filter((transaction) => transaction.status !== 'QUEUED');
    if (inFlight.some((transaction) => transaction.type !== 'REFUND')) throw new AppError('conflict', 'Another capture or void of this payment is in progress; try again when it has finished.');
    const pendingRefunds = inFlight.filter((transaction) => transaction.type === 'REFUND').reduce((sum, transaction) => sum + transaction.amount, 0n);
    const limits = { ...row, capturedAmount: row.capturedAmount + queued.reduce((sum, transaction) => sum + transaction.amount, 0n) };
    const amount = amountFor(kind, limits, input.amount, pendingRefunds);
    const target = targetStatus(kind, limits, amount);
    assertPaymentTransition(row.status, target, verb[kind]);
    if (kind === 'capture' && (await capturesInDailyBatch(tx, row.posId))) {
      return { payment: row, amount, transaction: await queueCapture(tx, { payment: row, amount, actor: input.actor }), queued: true };
    }
    const transaction = await tx.paymentTransaction.create({
      data: { id: randomUUID(), storeId: row.storeId, paymentId: row.id, type: typeOf[kind], amount, requestId: randomId() },
    });
    return { payment: row, amount, transaction, queued: false };
  });
  if (reserved.queued) return { paymentId: reserved.payment.id, status: reserved.payment.status, transactionId: reserved.transaction.id, result: 'queued', code: 'queued' };

  const { payment, amount, transaction } = reserved;
  const answer = await sendSettlement(kind, payment, { requestId: transaction.requestId, amount });
  const status = await recordSettlementAnswer(kind, payment, { id: transaction.id, amount }, answer, input.actor);
  return { paymentId: payment.id, status: status ?? (await db().payment.findUniqueOrThrow({ where: { id: payment.id }, select: { status: true } })).status, transactionId: transaction.id, result: answer.result, code: answer.code };
}

export interface SettlementAnswer {
  result: 'succeeded' | 'refused' | 'unknown';
  code: string;
  latencyMs: number;
}

/**
 * Sends one capture, void or refund to the payment's gateway: CapReq, AuthRevReq to zero or CredReq, with
 * the transaction's request id as the request id (and capture or credit id), so that sending it again —
 * after no answer, or after the sender stopped — is the same request, which the gateway answers from its
 * ledger instead of acting twice.
 */
export async function sendSettlement(
  kind: SettlementKind,
  payment: { xid: string; authCode: string | null; currency: string; posAcquirerId: string | null; acquirer: GatewayAcquirer | null },
  transaction: { requestId: string; amount: bigint },
): Promise<SettlementAnswer> {
  if (!payment.posAcquirerId || !payment.acquirer || !payment.authCode) throw new AppError('invalid_state_transition', 'This payment was never authorised.');
  const link = { posAcquirerId: payment.posAcquirerId, acquirer: payment.acquirer };
  const money = { value: Number(transaction.amount), currency: payment.currency };
  const rrpid = transaction.requestId;
  let call: GatewayCall<'CapReq'> | GatewayCall<'AuthRevReq'> | GatewayCall<'CredReq'>;
  let approved = false;
  let code: string;
  if (kind === 'capture') {
    const captureCall = await callGateway(link, 'CapReq', { batchId: randomId(), items: [{ xid: payment.xid, captureId: rrpid, authCode: payment.authCode, amount: money }] }, { rrpid });
    call = captureCall;
    const item = captureCall.kind === 'answer' ? captureCall.message.items[0] : undefined;
    approved = item?.result.status === 'approved';
    code = item?.result.code ?? (captureCall.kind === 'error' ? captureCall.code : 'no_answer');
  } else if (kind === 'void') {
    const voidCall = await callGateway(link, 'AuthRevReq', { xid: payment.xid, authCode: payment.authCode, newAmount: { value: 0, currency: payment.currency } }, { rrpid });
    call = voidCall;
    approved = voidCall.kind === 'answer' && voidCall.message.result.status === 'approved';
    code = voidCall.kind === 'answer' ? voidCall.message.result.code : voidCall.kind === 'error' ? voidCall.code : 'no_answer';
  } else {
    const refundCall = await callGateway(link, 'CredReq', { xid: payment.xid, creditId: rrpid, amount: money }, { rrpid });
    call = refundCall;
    approved = refundCall.kind === 'answer' && refundCall.message.result.status === 'approved';
    code = refundCall.kind === 'answer' ? refundCall.message.result.code : refundCall.kind === 'error' ? refundCall.code : 'no_answer';
  }
  return {
    result: call.kind === 'no_answer' ? 'unknown' : approved ? 'succeeded' : 'refused',
    code,
    latencyMs: call.kind === 'no_answer' ? call.outcome.latencyMs : call.latencyMs,
  };
}

/**
 * Records a gateway's answer to a capture, void or refund: the transaction's status, the payment's
 * timeline, and — when it succeeded — the amounts, the status and the shop's event. Only a transaction
 * still PENDING or UNKNOWN takes an answer: when two senders got one (the app that sent it and the worker
 * that took over after the app seemed gone), the second finds it settled and changes nothing, so the
 * money is counted once. Answers null then.
 */
export async function recordSettlementAnswer(
  kind: SettlementKind,
  payment: { id: string; storeId: string; status: PaymentStatus },
  transaction: { id: string; amount: bigint },
  answer: SettlementAnswer,
  actor: Actor,
): Promise<PaymentStatus | null> {
  const { result, code, latencyMs } = answer;
  return db().$transaction(async (tx) => {
    // The row lock comes first, before anything that references the payment (which takes a share lock that
    // would then have to be upgraded): two answers recorded at once add up instead of overwriting each other,
    // and never deadlock on the upgrade.
    await tx.$queryRaw`SELECT 1 FROM "Payment" WHERE "id" = ${payment.id}::uuid FOR UPDATE`;
    const recorded = await tx.paymentTransaction.updateMany({
      where: { id: transaction.id, status: { in: ['PENDING', 'UNKNOWN'] } },
      data: { status: result === 'succeeded' ? 'SUCCEEDED' : result === 'unknown' ? 'UNKNOWN' : 'FAILED', responseCode: code, latencyMs, completedAt: new Date() },
    });
    if (recorded.count !== 1) return null;
    await tx.paymentEvent.create({ data: { storeId: payment.storeId, paymentId: payment.id, kind: { capture: 'CapRes', void: 'AuthRevRes', refund: 'CredRes' }[kind], code, latencyMs } });
    let next = payment.status;
    if (result === 'succeeded') next = await applySettlement(tx, kind, payment.id, transaction.amount);
    if (result === 'succeeded') await announceSettlement(tx, { storeId: payment.storeId, paymentId: payment.id, kind, amount: transaction.amount });
    await recordAuditEvent(tx, {
      actor,
      action: `payment.${kind}`,
      storeId: payment.storeId,
      targetType: 'Payment',
      targetId: payment.id,
      data: { amount: transaction.amount.toString(), result, code },
    });
    return next;
  });
}

function amountFor(kind: SettlementKind, payment: { amount: bigint; capturedAmount: bigint; refundedAmount: bigint; currency: string }, requested: bigint | undefined, pendingRefunds: bigint): bigint {
  if (kind === 'void') {
    if (requested !== undefined) throw new AppError('validation_failed', 'A void takes no amount: it cancels the whole authorisation.');
    return payment.amount;
  }
  const remaining = kind === 'capture' ? payment.amount - payment.capturedAmount : payment.capturedAmount - payment.refundedAmount - pendingRefunds;
  const amount = requested ?? remaining;
  if (amount <= 0n) throw new AppError(kind === 'refund' && remaining <= 0n ? 'invalid_state_transition' : 'validation_failed', kind === 'refund' && remaining <= 0n ? 'Nothing is left to refund on this payment.' : 'The amount must be more than zero.');
  if (amount > remaining) {
    throw new AppError(
      'invalid_state_transition',
      kind === 'capture'
        ? `At most ${remaining} ${payment.currency} can still be captured (authorised ${payment.amount}, captured or queued ${payment.capturedAmount}).`
        : `At most ${remaining} ${payment.currency} can still be refunded (captured ${payment.capturedAmount}, refunded or being refunded ${payment.refundedAmount + pendingRefunds}).`,
    );
  }
  return amount;
}

function targetStatus(kind: SettlementKind, payment: { amount: bigint; capturedAmount: bigint; refundedAmount: bigint }, amount: bigint): PaymentStatus {
  if (kind === 'void') return 'VOIDED';
  if (kind === 'capture') return payment.capturedAmount + amount >= payment.amount ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
  return payment.refundedAmount + amount >= payment.capturedAmount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

/** Called with the payment row locked (see settlePayment and the daily capture batch): reads and adds in one place. */
export async function applySettlement(tx: Tx, kind: SettlementKind, paymentId: string, amount: bigint): Promise<PaymentStatus> {
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId } });
  const target = targetStatus(kind, payment, amount);
  const data =
    kind === 'capture' ? { capturedAmount: payment.capturedAmount + amount } : kind === 'refund' ? { refundedAmount: payment.refundedAmount + amount } : {};
  await tx.payment.update({ where: { id: paymentId }, data: { ...data, status: target } });
  return target;
}
