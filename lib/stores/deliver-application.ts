import { z } from 'zod';
import { applyAtAcquirer, RegistryRefusal, type ApplicationAnswer } from '@/lib/acquirers/registry-client';
import { systemActor } from '@/lib/audit/record-audit-event';
import { db, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { recordApplicationAnswer } from '@/lib/stores/record-application-answer';
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

  const answer = await askAcquirer(contract.acquirer, { merchantNumber: contract.merchantNumber, storeName: contract.store.name, contactEmail: contract.store.contactEmail });
  const recorded = await recordApplicationAnswer({ storeId, contractId, answer, actor: systemActor, prisma });
  return { outcome: recorded ? answer.status : 'skipped' };
}
