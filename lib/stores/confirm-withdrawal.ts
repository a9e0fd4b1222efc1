import { confirmWithdrawalAtAcquirer } from '@/lib/acquirers/registry-client';
import { systemActor } from '@/lib/audit/record-audit-event';
import type { Db } from '@/lib/db/client';
import { recordWithdrawalConfirmed } from '@/lib/stores/record-withdrawal-confirmed';
import type { WithdrawalPayload } from '@/lib/stores/withdraw-from-acquirers';

/**
 * Worker: asks the acquirer to confirm a withdrawal and records its answer
 * (recordWithdrawalConfirmed). Runs again safely: a contract already
 * withdrawn is left alone.
 */
export async function confirmWithdrawal(prisma: Db, payload: WithdrawalPayload): Promise<void> {
  const contract = await prisma.acquirerContract.findUnique({
    where: { id: payload.contractId },
    select: { id: true, status: true, merchantNumber: true, acquirer: { select: { code: true, name: true, registryUrl: true } } },
  });
  if (!contract || contract.status !== 'WITHDRAWING') return;
  await confirmWithdrawalAtAcquirer(contract.acquirer, contract.merchantNumber);
  await recordWithdrawalConfirmed({ prisma, contractId: contract.id, actor: systemActor });
}
