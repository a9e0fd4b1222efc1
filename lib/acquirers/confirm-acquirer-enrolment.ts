import { enrolmentBodySchema, type AcquirerStoreView } from '@/lib/acquirers/acquirer-api-schemas';
import { findAcquirerStore, toAcquirerStoreView } from '@/lib/acquirers/acquirer-store-view';
import type { AcquirerCaller } from '@/lib/acquirers/authenticate-acquirer-request';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { recordApplicationAnswer } from '@/lib/stores/record-application-answer';
import { parseInput } from '@/lib/validation';

/**
 * An acquirer confirms (or rejects) a store's application itself (acquirer API), instead of waiting for
 * ServerPOS to ask its registry: the same recording step as the worker's (recordApplicationAnswer), so the
 * contract, the audit event and the store's e-mail are the same either way. The same decision again
 * changes nothing; the other decision on an answered application is 409 invalid_state_transition.
 */
export async function confirmAcquirerEnrolment(options: { acquirer: AcquirerCaller; merchantNumber: string; input: unknown; origin?: RequestOrigin | null }): Promise<{ store: AcquirerStoreView; changed: boolean }> {
  const { acquirer } = options;
  const input = parseInput(enrolmentBodySchema, options.input);
  const row = await findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber);
  const wanted = input.decision === 'verified' ? 'VERIFIED' : 'REJECTED';
  let changed = false;
  if (row.status === 'APPLIED') {
    changed = await recordApplicationAnswer({
      storeId: row.storeId,
      contractId: row.id,
      answer: input.decision === 'verified' ? { status: 'verified', acquisitionNumber: input.acquisitionNumber ?? null } : { status: 'rejected', code: 'rejected_by_acquirer', reason: input.reason ?? '' },
      actor: acquirer.actor,
      origin: options.origin ?? null,
    });
  }
  const current = await findAcquirerStore(db(), acquirer.acquirerId, options.merchantNumber);
  if (!changed && current.status !== wanted) {
    throw new AppError('invalid_state_transition', `The application was already answered: the contract is ${current.status.toLowerCase()}.`);
  }
  return { store: toAcquirerStoreView(current, acquirer.acquirerId), changed };
}
