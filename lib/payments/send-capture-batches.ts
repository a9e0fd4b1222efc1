import { recordAuditEvent, systemActor, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { CaptureBatchStatus } from '@/lib/db/generated/prisma/enums';
import { describeError, log } from '@/lib/log';
import { announceSettlement } from '@/lib/payments/announce-settlement';
import { callGateway, FOLLOW_UP_TIMEOUT_MS, type GatewayCall } from '@/lib/payments/call-gateway';
import { closeCaptureBatches } from '@/lib/payments/close-capture-batches';
import { applySettlement } from '@/lib/payments/settle-payment';
import type { Result } from '@/lib/set';

/**
 * A batch SENT this long ago without a recorded answer is sent again: longer than a CapReq waits for its
 * answer, so a run never resends a batch another run is still waiting on.
 */
export const BATCH_RESEND_AFTER_MS = 2 * FOLLOW_UP_TIMEOUT_MS;

export interface CaptureBatchRun {
  /** Batches this run made from queued captures. */
  closed: number;
  /** Batches the gateway answered (each capture captured or refused). */
  answered: number;
  /** Batches the gateway refused as a whole (an Error): their captures failed and may be made again. */
  failed: number;
  /** Batches left SENT without an answer: the next run sends them again, with the same id. */
  unanswered: number;
}

interface BatchRow {
  id: string;
  storeId: string;
  posAcquirerId: string;
  acquirerId: string;
  status: CaptureBatchStatus;
  sentAt: Date | null;
  itemCount: number;
  amount: bigint;
}

interface BatchItem {
  id: string;
  paymentId: string;
  amount: bigint;
  requestId: string;
  status: string;
  payment: { xid: string; authCode: string | null; currency: string };
}

/**
 * The daily capture batch (DAILY_BATCH POSes): closes the queued captures into batches, then sends every
 * batch that is OPEN or SENT without an answer, one CapReq per batch whose request id and batch id are the
 * batch's id. A resend after a crash or a lost reply is thus the same request: the gateway answers it from
 * its ledger instead of capturing twice. Each capture's result is applied to its payment under the payment
 * row lock, guarded on the capture still being PENDING, so applying one answer twice changes nothing.
 * Scoped to one store when `storeId` is given (the console's "send now"), else every store (the worker).
 */
export async function sendCaptureBatches(options: { storeId?: string; actor: Actor; now?: Date; close?: boolean }): Promise<CaptureBatchRun> {
  const now = options.now ?? new Date();
  const run: CaptureBatchRun = { closed: 0, answered: 0, failed: 0, unanswered: 0 };
  if (options.close !== false) run.closed = (await closeCaptureBatches({ ...(options.storeId ? { storeId: options.storeId } : {}), actor: options.actor, now })).batchIds.length;

  const batches: BatchRow[] = await db().captureBatch.findMany({
    where: {
      ...(options.storeId ? { storeId: options.storeId } : {}),
      OR: [{ status: 'OPEN' }, { status: 'SENT', sentAt: { lte: new Date(now.getTime() - BATCH_RESEND_AFTER_MS) } }],
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, storeId: true, posAcquirerId: true, acquirerId: true, status: true, sentAt: true, itemCount: true, amount: true },
  });
  for (const batch of batches) {
    // Claimed by a guarded update: of two runs that read the batch at once, one sends it.
    const claimed = await db().captureBatch.updateMany({ where: { id: batch.id, status: batch.status, sentAt: batch.sentAt }, data: { status: 'SENT', sentAt: now } });
    if (claimed.count !== 1) continue;
    try {
      run[await sendBatch(batch, options.actor)] += 1;
    } catch (error) {
      // Left SENT: the next run tries again. A batch's failure does not stop the others.
      log.warn('a capture batch could not be sent this round', { batchId: batch.id, ...describeError(error) });
      await db().captureBatch.update({ where: { id: batch.id }, data: { lastError: describeError(error).errorMessage.slice(0, 500) } });
      run.unanswered += 1;
    }
  }
  return run;
}

async function sendBatch(batch: BatchRow, actor: Actor): Promise<'answered' | 'failed' | 'unanswered'> {
  const items: BatchItem[] = await db().paymentTransaction.findMany({
    where: { batchId: batch.id, storeId: batch.storeId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { id: true, paymentId: true, amount: true, requestId: true, status: true, payment: { select: { xid: true, authCode: true, currency: true } } },
  });
  const currency = items[0]?.payment.currency ?? '';
  if (items.length === 0) return finishBatch(batch, actor, currency, null);
  const acquirer = await db().acquirer.findUniqueOrThrow({ where: { id: batch.acquirerId }, select: { code: true, name: true, gatewayUrl: true } });

  // Every item of the batch, answered or not, in the order it was closed: a resend is the same request.
  const call: GatewayCall<'CapReq'> = await callGateway(
    { posAcquirerId: batch.posAcquirerId, acquirer },
    'CapReq',
    {
      batchId: batch.id,
      items: items.map((item) => ({ xid: item.payment.xid, captureId: item.requestId, authCode: item.payment.authCode ?? '', amount: { value: Number(item.amount), currency: item.payment.currency } })),
    },
    { rrpid: batch.id },
  );

  if (call.kind === 'no_answer') {
    const outcome = call.outcome;
    const reason = 'reason' in outcome ? outcome.reason : outcome.code;
    await db().captureBatch.update({ where: { id: batch.id }, data: { lastError: `No answer from the acquirer (${reason}); the batch is sent again by the next run.`.slice(0, 500) } });
    return 'unanswered';
  }

  if (call.kind === 'error') {
    // The gateway refused the request as a whole: it captured none of it.
    for (const item of items) await applyItem(batch, item, { status: 'error', code: call.code }, call.latencyMs);
    return finishBatch(batch, actor, currency, `${call.code}: ${call.message}`);
  }

  const results = new Map(call.message.items.map((result) => [result.captureId, result.result]));
  for (const item of items) {
    // An item the answer leaves out was not captured by the gateway: the answer lists what it did.
    const result: Pick<Result, 'status' | 'code'> = results.get(item.requestId) ?? { status: 'error', code: 'not_in_answer' };
    await applyItem(batch, item, result, call.latencyMs);
  }
  return finishBatch(batch, actor, currency, null);
}

/** One capture's result on its payment, under the payment's row lock; a capture no longer PENDING was applied before. */
async function applyItem(batch: BatchRow, item: BatchItem, result: Pick<Result, 'status' | 'code'>, latencyMs: number): Promise<void> {
  if (item.status !== 'PENDING') return;
  const approved = result.status === 'approved';
  await db().$transaction(async (tx) => {
    // The row lock first, as settlePayment takes it: answers recorded at once add up and never deadlock.
    await tx.$queryRaw`SELECT 1 FROM "Payment" WHERE "id" = ${item.paymentId}::uuid AND "storeId" = ${batch.storeId}::uuid FOR UPDATE`;
    const updated = await tx.paymentTransaction.updateMany({
      where: { id: item.id, batchId: batch.id, status: 'PENDING' },
      data: { status: approved ? 'SUCCEEDED' : 'FAILED', responseCode: result.code, latencyMs, completedAt: new Date() },
    });
    if (updated.count !== 1) return;
    await tx.paymentEvent.create({ data: { storeId: batch.storeId, paymentId: item.paymentId, kind: 'CapRes', code: result.code, latencyMs, detail: { batchId: batch.id } } });
    if (approved) {
      await applySettlement(tx, 'capture', item.paymentId, item.amount);
      await announceSettlement(tx, { storeId: batch.storeId, paymentId: item.paymentId, kind: 'capture', amount: item.amount });
    }
    await recordAuditEvent(tx, {
      // The acquirer's answer, not the person who asked for the capture (their request is audited when queued).
      actor: systemActor,
      action: 'payment.capture',
      storeId: batch.storeId,
      targetType: 'Payment',
      targetId: item.paymentId,
      data: { amount: item.amount.toString(), result: approved ? 'succeeded' : 'refused', code: result.code, batchId: batch.id },
    });
  });
}

/** ANSWERED (or FAILED when the gateway refused it whole) with its counts; once, however many runs get here. */
async function finishBatch(batch: BatchRow, actor: Actor, currency: string, refusal: string | null): Promise<'answered' | 'failed'> {
  const captured = await db().paymentTransaction.count({ where: { batchId: batch.id, storeId: batch.storeId, status: 'SUCCEEDED' } });
  await db().$transaction(async (tx) => {
    const finished = await tx.captureBatch.updateMany({
      where: { id: batch.id, status: 'SENT' },
      data: { status: refusal ? 'FAILED' : 'ANSWERED', answeredAt: new Date(), capturedCount: captured, lastError: refusal ? refusal.slice(0, 500) : null },
    });
    if (finished.count !== 1) return;
    await recordAuditEvent(tx, {
      actor,
      action: refusal ? 'capture_batch.failed' : 'capture_batch.answered',
      storeId: batch.storeId,
      targetType: 'CaptureBatch',
      targetId: batch.id,
      data: { items: batch.itemCount, succeeded: captured, failed: batch.itemCount - captured, amount: batch.amount.toString(), currency, ...(refusal ? { reason: refusal.slice(0, 200) } : {}) },
    });
  });
  return refusal ? 'failed' : 'answered';
}
