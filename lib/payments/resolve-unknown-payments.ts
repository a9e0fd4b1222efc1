import { recordAuditEvent, systemActor } from '@/lib/audit/record-audit-event';
import type { Db } from '@/lib/db/client';
import { describeError, log } from '@/lib/log';
import { announceSettlement } from '@/lib/payments/announce-settlement';
import { capturesInDailyBatch, queueCapture } from '@/lib/payments/queue-capture';
import { callGateway } from '@/lib/payments/call-gateway';
import { newHandlingNumber } from '@/lib/payments/handling-number';
import { enqueueWebhookEvent } from '@/lib/webhooks/enqueue-webhook-event';

/** What became of one payment whose authorisation outcome was unknown. */
export type Resolution = 'authorized' | 'declined' | 'reversed' | 'not_authorized' | 'still_unknown';

/**
 * Worker: settles payments whose authorisation outcome is unknown (a timeout
 * or a dropped reply). An InqReq asks the gateway what its ledger says; an
 * authorisation it holds is taken as it stands, a decline as a decline. While
 * the gateway knows nothing and the deadline (`resolveBy`) has not passed, the
 * payment waits for the next round. At the deadline an AuthRevReq to zero is
 * sent — with one fixed request id per payment, so repeating it never acts
 * twice — and the payment is closed: never authorised, or reversed.
 */
export async function resolveUnknownPayments(prisma: Db, now = new Date(), limit = 50): Promise<Record<Resolution, number>> {
  const counts: Record<Resolution, number> = { authorized: 0, declined: 0, reversed: 0, not_authorized: 0, still_unknown: 0 };
  const payments = await prisma.payment.findMany({
    where: { status: 'UNKNOWN' },
    orderBy: { resolveBy: 'asc' },
    take: limit,
    select: { id: true, storeId: true, xid: true, amount: true, currency: true, posAcquirerId: true, resolveBy: true, acquirer: { select: { code: true, name: true, gatewayUrl: true } } },
  });
  for (const payment of payments) {
    try {
      counts[await resolvePayment(prisma, payment, now)] += 1;
    } catch (error) {
      log.warn('an unknown payment outcome could not be resolved this round', { paymentId: payment.id, ...describeError(error) });
      counts.still_unknown += 1;
    }
  }
  return counts;
}

type UnknownPayment = {
  id: string;
  storeId: string;
  xid: string;
  amount: bigint;
  currency: string;
  posAcquirerId: string | null;
  resolveBy: Date | null;
  acquirer: { code: string; name: string; gatewayUrl: string } | null;
};

async function resolvePayment(prisma: Db, payment: UnknownPayment, now: Date): Promise<Resolution> {
  if (!payment.posAcquirerId || !payment.acquirer) return 'still_unknown';
  const link = { posAcquirerId: payment.posAcquirerId, acquirer: payment.acquirer };
  const event = (kind: string, code: string | null, latencyMs: number | null) => prisma.paymentEvent.create({ data: { storeId: payment.storeId, paymentId: payment.id, kind, code, latencyMs } });

  const inquiry = await callGateway(link, 'InqReq', { xid: payment.xid });
  if (inquiry.kind === 'answer') {
    await event('InqRes', inquiry.message.state, inquiry.latencyMs);
    const state = inquiry.message.state;
    if (state === 'authorized' || state === 'captured') {
      const captured = BigInt(inquiry.message.captured?.value ?? 0);
      return settle(prisma, payment, 'authorized', { status: captured > 0n ? (captured >= payment.amount ? 'CAPTURED' : 'PARTIALLY_CAPTURED') : 'AUTHORIZED', handlingNumber: newHandlingNumber(), authCode: inquiry.message.lastResult?.authCode ?? null, capturedAmount: captured });
    }
    if (state === 'declined') {
      const result = inquiry.message.lastResult;
      return settle(prisma, payment, 'declined', { status: 'DECLINED', declineCode: result?.code ?? 'declined', ...(result?.message ? { declineMessage: result.message } : {}) });
    }
    if (state === 'reversed') return settle(prisma, payment, 'reversed', { status: 'VOIDED' });
  } else {
    await event('InqReq', inquiry.kind === 'error' ? inquiry.code : 'no_answer', inquiry.kind === 'error' ? inquiry.latencyMs : null);
  }
  if (!payment.resolveBy || payment.resolveBy > now) return 'still_unknown';

  // The deadline has passed and the gateway knows no authorisation: make sure none can surface later.
  const rrpid = `rev${payment.id.replaceAll('-', '')}`;
  const reversal = await callGateway(link, 'AuthRevReq', { xid: payment.xid, authCode: '000000', newAmount: { value: 0, currency: payment.currency } }, { rrpid });
  if (reversal.kind === 'no_answer') return 'still_unknown';
  const code = reversal.kind === 'answer' ? reversal.message.result.code : reversal.code;
  await event('AuthRevRes', code, reversal.latencyMs);
  if (reversal.kind === 'answer' && reversal.message.result.status === 'approved') return settle(prisma, payment, 'reversed', { status: 'VOIDED' });
  return settle(prisma, payment, 'not_authorized', { status: 'FAILED', declineCode: 'unknown_outcome_reversed', declineMessage: { en: 'The payment could not be confirmed in time and was cancelled. Nothing was charged.', ja: 'お支払いを時間内に確認できなかったため取り消しました。請求は行われていません。' } });
}

async function settle(prisma: Db, payment: UnknownPayment, resolution: Resolution, data: Parameters<Db['payment']['updateMany']>[0]['data']): Promise<Resolution> {
  return prisma.$transaction(async (tx) => {
    const updated = await tx.payment.updateMany({ where: { id: payment.id, status: 'UNKNOWN' }, data: { ...data, resolveBy: null } });
    if (updated.count !== 1) return 'still_unknown';
    if (resolution === 'authorized') {
      const order = await tx.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { orderId: true } });
      await tx.order.updateMany({ where: { id: order.orderId, status: 'OPEN' }, data: { status: 'PAID' } });
    }
    await tx.paymentTransaction.updateMany({ where: { paymentId: payment.id, type: 'AUTHORIZE', status: 'UNKNOWN' }, data: { status: resolution === 'authorized' ? 'SUCCEEDED' : 'FAILED', completedAt: new Date() } });
    await recordAuditEvent(tx, { actor: systemActor, action: 'payment.outcome_resolved', storeId: payment.storeId, targetType: 'Payment', targetId: payment.id, data: { resolution } });
    const resolved = await tx.payment.findUniqueOrThrow({ where: { id: payment.id }, select: { posId: true, capturedAmount: true, order: { select: { autoCapture: true } } } });
    // A reversed unknown outcome is a failure to the shop: it was never a payment it could ship against.
    const outcomeEvent = ({ authorized: 'payment.authorized', declined: 'payment.declined', reversed: 'payment.failed', not_authorized: 'payment.failed', still_unknown: null } as const)[resolution];
    if (outcomeEvent) await enqueueWebhookEvent(tx, { storeId: payment.storeId, posId: resolved.posId, paymentId: payment.id, type: outcomeEvent });
    // An auto-captured order was captured with the authorisation the inquiry found.
    if (resolution === 'authorized' && resolved.capturedAmount > 0n) await announceSettlement(tx, { storeId: payment.storeId, paymentId: payment.id, kind: 'capture', amount: resolved.capturedAmount });
    // On a daily-batch POS the automatic capture was never sent with the authorisation: it joins the batch now, as it would have after a timely answer.
    if (resolution === 'authorized' && resolved.capturedAmount === 0n && resolved.order.autoCapture && (await capturesInDailyBatch(tx, resolved.posId))) {
      await queueCapture(tx, { payment: { id: payment.id, storeId: payment.storeId }, amount: payment.amount, actor: systemActor, automatic: true });
    }
    return resolution;
  });
}
