import { recordAuditEvent, type Actor, systemActor } from '@/lib/audit/record-audit-event';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import type { RenewalRunPayload } from '@/lib/certificates/start-renewal-run';
import type { Db } from '@/lib/db/client';
import { isAppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';

/**
 * Items renewed at once. Key generation is cheap (P-256, off the event loop); an item's time is mostly waiting —
 * on the registry, the CA and the database's commits — so more lanes overlap more of it: "renew all" for 50 POS ×
 * acquirer links took 13.5–18 s with 4 and 6.6–8.6 s with 8 on a busy 2-core machine. Eight stays well within the
 * database pool (DATABASE_POOL_SIZE, 20 by default), as each item holds a connection for its transaction.
 */
const CONCURRENCY = 8;
/** An item RUNNING for longer than this belongs to a worker that died; it is taken over. */
const STALE_ITEM_MS = 3 * 60_000;

/**
 * Worker: renews every item of a run, each as its own issuePosCertificates
 * (so each item succeeds or fails alone, and a failed one leaves that POS's
 * old certificates serving), records each result as it comes, and finishes the
 * run. Safe to run again after a crash: items are claimed with a guarded
 * update, finished ones are skipped.
 */
export async function workRenewalRun(prisma: Db, payload: RenewalRunPayload): Promise<void> {
  const run = await prisma.certificateRenewalRun.findUnique({ where: { id: payload.runId }, select: { id: true, storeId: true, status: true, requestedById: true } });
  if (!run || run.status === 'FINISHED') return;
  const actor: Actor = run.requestedById ? { type: 'STORE_USER', id: run.requestedById } : systemActor;

  const claimNext = async () => {
    const now = new Date();
    const candidates = await prisma.certificateRenewalItem.findMany({
      where: { runId: run.id, OR: [{ status: 'PENDING' }, { status: 'RUNNING', startedAt: { lt: new Date(now.getTime() - STALE_ITEM_MS) } }] },
      orderBy: { id: 'asc' },
      take: CONCURRENCY * 2,
      select: { id: true, posAcquirerId: true, status: true, startedAt: true },
    });
    for (const candidate of candidates) {
      const claimed = await prisma.certificateRenewalItem.updateMany({
        where: { id: candidate.id, status: candidate.status, startedAt: candidate.startedAt },
        data: { status: 'RUNNING', startedAt: now, attempts: { increment: 1 } },
      });
      if (claimed.count === 1) return candidate;
    }
    return undefined;
  };

  const lane = async () => {
    for (let item = await claimNext(); item; item = await claimNext()) {
      try {
        await issuePosCertificates({ storeId: run.storeId, posAcquirerId: item.posAcquirerId, actor });
        await prisma.certificateRenewalItem.update({ where: { id: item.id }, data: { status: 'SUCCEEDED', finishedAt: new Date(), errorCode: null, errorMessage: null } });
      } catch (error) {
        const known = isAppError(error);
        if (!known) log.error('certificate renewal failed unexpectedly', { runId: run.id, itemId: item.id, ...describeError(error) });
        await prisma.certificateRenewalItem.update({
          where: { id: item.id },
          data: {
            status: 'FAILED',
            finishedAt: new Date(),
            errorCode: known ? error.code : 'internal_error',
            errorMessage: (known ? error.message : 'Something went wrong on our side.').slice(0, 500),
          },
        });
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));

  await prisma.$transaction(async (tx) => {
    const finished = await tx.certificateRenewalRun.updateMany({ where: { id: run.id, status: 'RUNNING' }, data: { status: 'FINISHED', runningFor: null, finishedAt: new Date() } });
    if (finished.count !== 1) return;
    const counts = await tx.certificateRenewalItem.groupBy({ by: ['status'], where: { runId: run.id }, _count: true });
    const count = (status: string) => counts.find((entry) => entry.status === status)?._count ?? 0;
    await recordAuditEvent(tx, {
      actor,
      action: 'certificate.renew_all_finished',
      storeId: run.storeId,
      targetType: 'CertificateRenewalRun',
      targetId: run.id,
      data: { succeeded: count('SUCCEEDED'), failed: count('FAILED') },
    });
  });
}
