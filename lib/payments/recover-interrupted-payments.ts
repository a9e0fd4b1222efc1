import { systemActor } from '@/lib/audit/record-audit-event';
import type { Db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { describeError, log } from '@/lib/log';
import { FOLLOW_UP_TIMEOUT_MS } from '@/lib/payments/call-gateway';
import { recordSettlementAnswer, sendSettlement, type SettlementKind } from '@/lib/payments/settle-payment';

const kindOf = { CAPTURE: 'capture', VOID: 'void', REFUND: 'refund' } as const satisfies Record<string, SettlementKind>;

export interface Recovered {
  /** Authorisations found still AUTHORIZING long after any gateway call for them ended: now UNKNOWN. */
  stalledAuthorizations: number;
  /** Captures, voids and refunds sent again with their own request id, and answered. */
  settlementsAnswered: number;
  /** …sent again and still without an answer: tried again next round. */
  settlementsStillUnknown: number;
}

/**
 * Worker: takes over what an app instance left in flight when it stopped
 * (a crash, a kill, a lost machine), so that no payment waits forever.
 *
 * - A payment still AUTHORIZING when its gateway call must have ended long
 *   ago (GATEWAY_TIMEOUT_MS plus IN_FLIGHT_GRACE_SECONDS after the claim) may
 *   or may not have reached its gateway. It becomes UNKNOWN with the usual
 *   deadline, and resolveUnknownPayments settles it: by inquiry, or at the
 *   deadline by a reversal. The app that claimed it records an outcome only
 *   over AUTHORIZING, so if it was merely slow, its late answer changes
 *   nothing.
 * - A capture, void or refund sent at once (not in a daily batch) that is
 *   still PENDING past its own timeout and the grace, or that got no answer
 *   (UNKNOWN), is sent again with its own request id: the gateway answers a
 *   repeat from its ledger instead of acting twice. The answer is recorded as
 *   settlePayment records it, once.
 *
 * Safe to run in every worker at once: each change is guarded by the state it
 * expects, and the gateway de-duplicates the repeats.
 */
export async function recoverInterruptedPayments(prisma: Db, now = new Date(), limit = 50): Promise<Recovered> {
  const { GATEWAY_TIMEOUT_MS, IN_FLIGHT_GRACE_SECONDS, UNKNOWN_OUTCOME_DEADLINE_SECONDS } = env();
  const grace = IN_FLIGHT_GRACE_SECONDS * 1000;
  const counts: Recovered = { stalledAuthorizations: 0, settlementsAnswered: 0, settlementsStillUnknown: 0 };

  const stalledBefore = new Date(now.getTime() - GATEWAY_TIMEOUT_MS - grace);
  const resolveBy = new Date(now.getTime() + UNKNOWN_OUTCOME_DEADLINE_SECONDS * 1000);
  counts.stalledAuthorizations = await prisma.$transaction(async (tx) => {
    const stalled = await tx.$queryRaw<{ id: string; storeId: string }[]>`
      UPDATE "Payment" SET "status" = 'UNKNOWN', "resolveBy" = ${resolveBy}, "updatedAt" = ${now}
       WHERE "id" IN (SELECT "id" FROM "Payment" WHERE "status" = 'AUTHORIZING' AND "updatedAt" < ${stalledBefore} ORDER BY "updatedAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
         AND "status" = 'AUTHORIZING'
      RETURNING "id"::text, "storeId"::text`;
    if (stalled.length === 0) return 0;
    const ids = stalled.map((payment) => payment.id);
    await tx.paymentTransaction.updateMany({ where: { paymentId: { in: ids }, type: 'AUTHORIZE', status: 'PENDING' }, data: { status: 'UNKNOWN' } });
    await tx.paymentEvent.createMany({ data: stalled.map((payment) => ({ storeId: payment.storeId, paymentId: payment.id, kind: 'AuthReq', code: 'interrupted' })) });
    return stalled.length;
  });
  if (counts.stalledAuthorizations > 0) log.warn('interrupted authorisations are now unknown outcomes, to be settled by inquiry', { payments: counts.stalledAuthorizations });

  const pendingBefore = new Date(now.getTime() - FOLLOW_UP_TIMEOUT_MS - grace);
  const interrupted = await prisma.paymentTransaction.findMany({
    where: {
      type: { in: ['CAPTURE', 'VOID', 'REFUND'] },
      batchId: null,
      OR: [{ status: 'UNKNOWN' }, { status: 'PENDING', createdAt: { lt: pendingBefore } }],
    },
    orderBy: { createdAt: 'asc' },
    take: limit,
    select: {
      id: true,
      type: true,
      amount: true,
      requestId: true,
      payment: { select: { id: true, storeId: true, status: true, xid: true, authCode: true, currency: true, posAcquirerId: true, acquirer: { select: { code: true, name: true, gatewayUrl: true } } } },
    },
  });
  for (const transaction of interrupted) {
    const kind = kindOf[transaction.type as keyof typeof kindOf];
    try {
      const answer = await sendSettlement(kind, transaction.payment, transaction);
      await recordSettlementAnswer(kind, transaction.payment, transaction, answer, systemActor);
      if (answer.result === 'unknown') counts.settlementsStillUnknown += 1;
      else counts.settlementsAnswered += 1;
    } catch (error) {
      log.warn('an interrupted capture, void or refund could not be sent again this round', { transactionId: transaction.id, ...describeError(error) });
      counts.settlementsStillUnknown += 1;
    }
  }
  if (counts.settlementsAnswered > 0) log.info('interrupted captures, voids and refunds answered', { transactions: counts.settlementsAnswered });
  return counts;
}
