import { systemActor } from '@/lib/audit/record-audit-event';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { db } from '@/lib/db/client';

export interface RegistrationOutcome {
  acquirer: string;
  outcome: 'registered' | 'already_registered' | 'not_verified' | 'no_acquisition_number';
}

/**
 * Registers the demo shop's POS with each of its store's acquirers, as the store owner would on the
 * certificates page, so that a fresh demo can take payments without a visit to the console: waits for the
 * worker to have the contract verified, takes the acquisition number the acquirer e-mailed (the caller finds
 * it, e.g. in the demo's mail inbox) and gets the POS's certificates from the CA. A link that is already
 * registered is left alone, so this is safe on every start.
 */
export async function registerDemoShop(options: {
  storeId: string;
  posId: string;
  /** The certificate acquisition number the acquirer sent at enrolment, or undefined if none can be found. */
  findAcquisitionNumber: (acquirer: { name: string; merchantNumber: string }) => Promise<string | undefined>;
  /** How long to wait for each contract to be verified. */
  timeoutMs?: number;
}): Promise<RegistrationOutcome[]> {
  const links = await db().posAcquirer.findMany({
    where: { storeId: options.storeId, posId: options.posId, status: { notIn: ['WITHDRAWN', 'DISABLED'] } },
    select: { id: true, status: true, acquirer: { select: { name: true } }, contract: { select: { id: true, merchantNumber: true } } },
    orderBy: { acquirer: { name: 'asc' } },
  });
  const outcomes: RegistrationOutcome[] = [];
  for (const link of links) {
    const acquirer = link.acquirer.name;
    if (link.status === 'REGISTERED') {
      outcomes.push({ acquirer, outcome: 'already_registered' });
      continue;
    }
    if (!(await contractVerified(link.contract.id, options.timeoutMs ?? 60_000))) {
      outcomes.push({ acquirer, outcome: 'not_verified' });
      continue;
    }
    const acquisitionNumber = await options.findAcquisitionNumber({ name: acquirer, merchantNumber: link.contract.merchantNumber });
    if (!acquisitionNumber) {
      outcomes.push({ acquirer, outcome: 'no_acquisition_number' });
      continue;
    }
    await issuePosCertificates({ storeId: options.storeId, posAcquirerId: link.id, actor: systemActor, acquisitionNumber });
    outcomes.push({ acquirer, outcome: 'registered' });
  }
  return outcomes;
}

async function contractVerified(contractId: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const contract = await db().acquirerContract.findUniqueOrThrow({ where: { id: contractId }, select: { status: true } });
    if (contract.status === 'VERIFIED') return true;
    if (contract.status !== 'APPLIED' || Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
