import { hashPin } from '@/lib/auth/pin';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation, type Prisma, type Tx } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { contractRejectedMessage, merchantNumberClaimedMessage } from '@/lib/mail/templates';
import { enqueueAcquirerApplication } from '@/lib/outbox/enqueue-acquirer-application';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { contractApplicationSchema } from '@/lib/stores/schemas';
import { isUuid, parseInput } from '@/lib/validation';

export interface ApplyingStore {
  id: string;
  name: string;
  contactEmail: string;
}

export interface ApplicationAcquirer {
  id: string;
  code: string;
  name: string;
}

/**
 * What became of one application. `not_accepted` is deliberately told to the
 * applicant exactly like an acquirer's refusal (by e-mail, same wording), so it
 * never reveals that another store holds the merchant number, nor which.
 */
export type ContractApplicationOutcome = { outcome: 'applied'; contractId: string } | { outcome: 'not_accepted' };

/** Why a merchant number held by another store is refused; the applicant never sees this, only a generic reason. */
const NOT_ACCEPTED_REASON = 'The merchant number could not be verified for your store. Check it against your contract, or ask the acquirer.';

/**
 * The ACTIVE acquirers with these codes, or a validation error on the field of
 * each code ServerPOS does not work with (unknown, or disabled by the operator).
 */
export async function resolveAcquirers(client: { acquirer: Tx['acquirer'] }, codes: { code: string; fieldPath: string }[]): Promise<Map<string, ApplicationAcquirer>> {
  const rows = await client.acquirer.findMany({
    where: { code: { in: codes.map((entry) => entry.code) }, status: 'ACTIVE' },
    select: { id: true, code: true, name: true },
  });
  const byCode = new Map(rows.map((row) => [row.code, row]));
  const unknown = codes.filter((entry) => !byCode.has(entry.code));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      unknown.length === 1 ? `${unknown[0]!.fieldPath}: Choose one of the acquirers listed.` : `${unknown.length} fields are invalid`,
      unknown.map((entry) => ({ path: entry.fieldPath, message: 'Choose one of the acquirers listed.' })),
    );
  }
  return byCode;
}

/**
 * Applies for one acquirer contract inside the caller's transaction — the
 * step sign-up repeats per acquirer and the console runs alone: the contract
 * (APPLIED, with the PIN's verifier), a PENDING link from every POS of the
 * store, the audit event and the outbox message that forwards the application
 * to the acquirer. A REJECTED contract with the same acquirer is applied for
 * again in place.
 *
 * A merchant number another store holds at this acquirer creates nothing: the
 * applicant is told by e-mail, as after an acquirer's refusal, and the holder
 * is warned that someone used its number. A REJECTED application of another
 * store holds nothing: it is released, so nobody can block a merchant number
 * by applying with it first.
 */
export async function applyForContractInTx(
  tx: Tx,
  options: { store: ApplyingStore; actor: Actor; acquirer: ApplicationAcquirer; merchantNumber: string; pinHash: string; origin?: RequestOrigin | null },
): Promise<ContractApplicationOutcome> {
  const { store, actor, acquirer, merchantNumber } = options;
  // The request's origin goes on the applicant's own events only: another store's trail must not show who asked.
  const origin = options.origin ?? null;
  const own = await tx.acquirerContract.findUnique({
    where: { storeId_acquirerId: { storeId: store.id, acquirerId: acquirer.id } },
    select: { id: true, status: true },
  });
  if (own && own.status !== 'REJECTED') throw new AppError('conflict', `You already have a contract with ${acquirer.name}.`);

  const holder = await tx.acquirerContract.findUnique({
    where: { acquirerId_merchantNumber: { acquirerId: acquirer.id, merchantNumber } },
    select: { id: true, storeId: true, status: true, store: { select: { name: true, contactEmail: true } } },
  });
  if (holder && holder.storeId !== store.id) {
    if (holder.status === 'REJECTED' && (await releaseRejectedContract(tx, holder.id, holder.storeId))) {
      await recordAuditEvent(tx, {
        actor,
        action: 'contract.rejected_application_released',
        storeId: holder.storeId,
        targetType: 'AcquirerContract',
        targetId: holder.id,
        data: { acquirerCode: acquirer.code, merchantNumber },
      });
    } else {
      await enqueueEmail(tx, {
        storeId: store.id,
        to: store.contactEmail,
        // env() only here: the demo seed runs this step before the app's settings exist, and never takes this branch.
        email: contractRejectedMessage({ storeName: store.name, acquirerName: acquirer.name, merchantNumber, reason: NOT_ACCEPTED_REASON, contractsUrl: `${env().APP_URL}/console/stores/${store.id}/contracts` }),
      });
      await enqueueEmail(tx, {
        storeId: holder.storeId,
        to: holder.store.contactEmail,
        email: merchantNumberClaimedMessage({ storeName: holder.store.name, acquirerName: acquirer.name, merchantNumber }),
      });
      // The applicant's own trail says only "not accepted"; the holder's trail names who tried, for the operator.
      await recordAuditEvent(tx, { actor, origin, action: 'contract.application_not_accepted', storeId: store.id, targetType: 'Acquirer', targetId: acquirer.id, data: { acquirerCode: acquirer.code, merchantNumber } });
      await recordAuditEvent(tx, {
        actor,
        action: 'contract.merchant_number_claim_refused',
        storeId: holder.storeId,
        targetType: 'AcquirerContract',
        targetId: holder.id,
        data: { acquirerCode: acquirer.code, merchantNumber, applicantStoreId: store.id },
      });
      return { outcome: 'not_accepted' };
    }
  }

  const fresh = {
    merchantNumber,
    status: 'APPLIED',
    pinHash: options.pinHash,
    pinFailedCount: 0,
    pinLockedUntil: null,
    rejectionReason: null,
    certificateAcquisitionNumberHash: null,
    appliedAt: new Date(),
    verifiedAt: null,
  } satisfies Prisma.AcquirerContractUncheckedUpdateInput;
  const contract = own
    ? await tx.acquirerContract.update({ where: { id: own.id }, data: fresh, select: { id: true } })
    : await tx.acquirerContract.create({ data: { ...fresh, storeId: store.id, acquirerId: acquirer.id }, select: { id: true } });

  const poses = await tx.pos.findMany({ where: { storeId: store.id }, select: { id: true } });
  for (const pos of poses) {
    await tx.posAcquirer.upsert({
      where: { posId_acquirerId: { posId: pos.id, acquirerId: acquirer.id } },
      create: { storeId: store.id, posId: pos.id, acquirerId: acquirer.id, contractId: contract.id, status: 'PENDING' },
      update: { contractId: contract.id, status: 'PENDING' },
    });
  }
  await enqueueAcquirerApplication(tx, { storeId: store.id, contractId: contract.id });
  await recordAuditEvent(tx, {
    actor,
    origin,
    action: 'contract.applied',
    storeId: store.id,
    targetType: 'AcquirerContract',
    targetId: contract.id,
    data: { acquirerCode: acquirer.code, merchantNumber, posLinks: poses.length, ...(own ? { appliedAgain: true } : {}) },
  });
  return { outcome: 'applied', contractId: contract.id };
}

/** Deletes another store's rejected contract and its links, unless anything (keys, certificates) hangs on them; true when released. */
async function releaseRejectedContract(tx: Tx, contractId: string, storeId: string): Promise<boolean> {
  const inUse = await tx.posAcquirer.count({ where: { contractId, storeId, OR: [{ keyPairs: { some: {} } }, { certificates: { some: {} } }] } });
  if (inUse > 0) return false;
  await tx.posAcquirer.deleteMany({ where: { contractId, storeId } });
  const deleted = await tx.acquirerContract.deleteMany({ where: { id: contractId, storeId, status: 'REJECTED' } });
  return deleted.count === 1;
}

/** The stores an actor may apply for: a store user only their own, the operator (or the system) any. */
function storesOf(actor: Actor): Prisma.StoreWhereInput | null {
  switch (actor.type) {
    case 'STORE_USER':
      return actor.id && isUuid(actor.id) ? { users: { some: { id: actor.id } } } : null;
    case 'OPERATOR':
    case 'SYSTEM':
      return {};
    default:
      return null;
  }
}

/**
 * A store applies for a contract with one more acquirer (console): the same
 * step as at sign-up, on its own. The answer is the same whether the
 * application went out or the merchant number was not accepted; the outcome
 * arrives by e-mail either way.
 */
export async function applyForContract(options: { storeId: string; actor: Actor; input: unknown; origin?: RequestOrigin | null }): Promise<{ acquirerName: string }> {
  const input = parseInput(contractApplicationSchema, options.input);
  const scope = storesOf(options.actor);
  if (!scope || !isUuid(options.storeId)) throw new AppError('not_found', 'Store not found.');
  const pinHash = await hashPin(input.pin);

  const apply = () =>
    db().$transaction(async (tx) => {
      const store = await tx.store.findFirst({ where: { id: options.storeId, ...scope }, select: { id: true, name: true, contactEmail: true, status: true } });
      if (!store) throw new AppError('not_found', 'Store not found.');
      if (store.status === 'SUSPENDED' || store.status === 'WITHDRAWN') {
        throw new AppError('store_inactive', `A ${store.status === 'SUSPENDED' ? 'suspended' : 'withdrawn'} store cannot apply to acquirers.`);
      }
      const acquirers = await resolveAcquirers(tx, [{ code: input.acquirerCode, fieldPath: 'acquirerCode' }]);
      const acquirer = acquirers.get(input.acquirerCode)!;
      await applyForContractInTx(tx, { store, actor: options.actor, acquirer, merchantNumber: input.merchantNumber, pinHash, origin: options.origin ?? null });
      return { acquirerName: acquirer.name };
    });

  try {
    return await apply();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another application for the same merchant number or acquirer committed between our reads and our insert;
    // this one rolled back whole. Run it again: it now sees that application and answers accordingly.
    return apply();
  }
}
