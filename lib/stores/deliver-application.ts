import { z } from 'zod';
import { applyAtAcquirer, RegistryRefusal, type ApplicationAnswer } from '@/lib/acquirers/registry-client';
import { sha256Hex } from '@/lib/auth/tokens';
import { recordAuditEvent, systemActor } from '@/lib/audit/record-audit-event';
import { db, type Db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { contractRejectedMessage, contractVerifiedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { isUuid } from '@/lib/validation';

export type DeliveryOutcome = 'verified' | 'rejected' | 'skipped';

/**
 * Refusals of the call itself rather than of the application: our partner
 * credential, or the acquirer asking us to slow down. They say nothing about
 * the store, so they are retried (and, if they persist, the outbox message
 * fails for the operator to see) instead of rejecting the contract.
 */
const RETRYABLE_REFUSAL_STATUSES = new Set([401, 403, 408, 425, 429]);

const answerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('verified'), acquisitionNumber: z.string().min(1).max(200) }),
  z.object({ status: z.literal('rejected'), code: z.string().max(60).catch('rejected'), reason: z.string().catch('') }),
]);

/** The acquirer's answer, or the one a refusal amounts to; throws (to be retried) when there is no answer yet. */
async function askAcquirer(acquirer: Parameters<typeof applyAtAcquirer>[0], application: Parameters<typeof applyAtAcquirer>[1]) {
  let answer: ApplicationAnswer;
  try {
    answer = await applyAtAcquirer(acquirer, application);
  } catch (error) {
    if (error instanceof RegistryRefusal && !RETRYABLE_REFUSAL_STATUSES.has(error.httpStatus)) {
      return { status: 'rejected' as const, code: error.upstreamCode, reason: error.message };
    }
    throw error;
  }
  const parsed = answerSchema.safeParse(answer);
  if (!parsed.success) throw new AppError('upstream_unavailable', `${acquirer.name} sent an answer that could not be read.`);
  return parsed.data;
}

/**
 * Forwards one contract application to its acquirer and records the answer
 * (outbox kind `acquirer.application`). Safe to run any number of times: only
 * an APPLIED contract is sent, and the answer is recorded by an update guarded
 * on that status, so of two runs at once exactly one records it and mails the
 * store. An acquirer that cannot be reached throws upstream_unavailable and
 * the queue retries; a refusal is an answer and is recorded.
 *
 * The one-time certificate acquisition number leaves ServerPOS only in the
 * e-mail to the store; the contract keeps its SHA-256.
 */
export async function deliverApplication(options: { storeId: string | null; contractId: string; prisma?: Db }): Promise<{ outcome: DeliveryOutcome }> {
  const prisma = options.prisma ?? db();
  const { storeId, contractId } = options;
  if (!storeId || !isUuid(storeId) || !isUuid(contractId)) return { outcome: 'skipped' };
  const contract = await prisma.acquirerContract.findFirst({
    where: { id: contractId, storeId },
    select: {
      status: true,
      merchantNumber: true,
      acquirer: { select: { code: true, name: true, registryUrl: true } },
      store: { select: { name: true, contactEmail: true } },
    },
  });
  if (!contract || contract.status !== 'APPLIED') return { outcome: 'skipped' };

  const { acquirer, store, merchantNumber } = contract;
  const answer = await askAcquirer(acquirer, { merchantNumber, storeName: store.name, contactEmail: store.contactEmail });
  const appUrl = env().APP_URL;
  const now = new Date();

  const recorded = await prisma.$transaction(async (tx) => {
    const applied = { id: contractId, storeId, status: 'APPLIED' } as const;
    if (answer.status === 'verified') {
      const updated = await tx.acquirerContract.updateMany({
        where: applied,
        data: { status: 'VERIFIED', verifiedAt: now, rejectionReason: null, certificateAcquisitionNumberHash: sha256Hex(answer.acquisitionNumber) },
      });
      if (updated.count !== 1) return false;
      await recordAuditEvent(tx, {
        actor: systemActor,
        action: 'contract.verified',
        storeId,
        targetType: 'AcquirerContract',
        targetId: contractId,
        data: { acquirerCode: acquirer.code, merchantNumber },
      });
      await enqueueEmail(tx, {
        storeId,
        to: store.contactEmail,
        email: contractVerifiedMessage({
          storeName: store.name,
          acquirerName: acquirer.name,
          merchantNumber,
          acquisitionNumber: answer.acquisitionNumber,
          certificatesUrl: `${appUrl}/console/stores/${storeId}/certificates`,
        }),
      });
      return true;
    }

    const reason = (answer.reason.trim() || `${acquirer.name} did not accept the application.`).slice(0, 460);
    const updated = await tx.acquirerContract.updateMany({
      where: applied,
      data: { status: 'REJECTED', rejectionReason: `${reason} (${answer.code})`.slice(0, 500), certificateAcquisitionNumberHash: null },
    });
    if (updated.count !== 1) return false;
    // A POS can never register through a rejected contract; its links stop waiting (a new application revives them).
    await tx.posAcquirer.updateMany({ where: { storeId, contractId, status: 'PENDING' }, data: { status: 'DISABLED' } });
    await recordAuditEvent(tx, {
      actor: systemActor,
      action: 'contract.rejected',
      storeId,
      targetType: 'AcquirerContract',
      targetId: contractId,
      data: { acquirerCode: acquirer.code, merchantNumber, code: answer.code },
    });
    await enqueueEmail(tx, {
      storeId,
      to: store.contactEmail,
      email: contractRejectedMessage({ storeName: store.name, acquirerName: acquirer.name, merchantNumber, reason, contractsUrl: `${appUrl}/console/stores/${storeId}/contracts` }),
    });
    return true;
  });
  return { outcome: recorded ? answer.status : 'skipped' };
}
