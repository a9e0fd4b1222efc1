import { hashPassword } from '@/lib/auth/password';
import { hashPin } from '@/lib/auth/pin';
import { newToken, sha256Hex } from '@/lib/auth/tokens';
import { recordAuditEvent, anonymousActor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation, type Tx } from '@/lib/db/client';
import { env } from '@/lib/env';
import { accountExistsMessage, verifyEmailMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { applyForContractInTx, resolveAcquirers } from '@/lib/stores/apply-for-contract';
import { signUpSchema } from '@/lib/stores/schemas';
import { parseInput } from '@/lib/validation';

export const VERIFICATION_TOKEN_HOURS = 24;

/** The POS every new store starts with; more can be added in the console. */
export const FIRST_POS_NAME = 'Web shop';

/**
 * A new store enrols: the store (PENDING), its owner, an e-mail verification
 * token, its first POS, version 1 of its store information, and one contract
 * application per acquirer it named (see applyForContractInTx) are created,
 * and the verification e-mail and the applications are put in the outbox, all
 * in one transaction. The acquirers' answers arrive later and independently of
 * the e-mail confirmation.
 *
 * The answer is the same whether or not the address already has an account,
 * so sign-up cannot be used to find out who uses ServerPOS; the owner of an
 * existing address is told by e-mail instead. Every check that can fail the
 * request (the schema, the acquirer codes) and every hash runs before the
 * address is looked up, so neither the answer nor its timing depends on it.
 */
export async function signUp(rawInput: unknown): Promise<{ email: string }> {
  const input = parseInput(signUpSchema, rawInput);
  const acquirers = await resolveAcquirers(
    db(),
    input.contracts.map((contract, index) => ({ code: contract.acquirerCode, fieldPath: `contracts.${index}.acquirerCode` })),
  );
  const passwordHash = await hashPassword(input.password);
  const pinHashes = await Promise.all(input.contracts.map((contract) => hashPin(contract.pin)));
  const token = newToken();
  const appUrl = env().APP_URL;

  const createOrNotify = async (tx: Tx) => {
    const existing = await tx.storeUser.findUnique({ where: { email: input.email }, select: { id: true, storeId: true } });
    if (existing) {
      await enqueueEmail(tx, {
        storeId: existing.storeId,
        to: input.email,
        email: accountExistsMessage({ loginUrl: `${appUrl}/login` }),
      });
      await recordAuditEvent(tx, { actor: anonymousActor, action: 'store.sign_up_existing_email', storeId: existing.storeId, targetType: 'StoreUser', targetId: existing.id });
      return;
    }
    const store = await tx.store.create({ data: { name: input.storeName, contactEmail: input.email }, select: { id: true } });
    const user = await tx.storeUser.create({
      data: { storeId: store.id, email: input.email, name: input.ownerName, passwordHash, role: 'OWNER' },
      select: { id: true },
    });
    await tx.emailVerificationToken.create({
      data: {
        storeUserId: user.id,
        tokenHash: sha256Hex(token),
        expiresAt: new Date(Date.now() + VERIFICATION_TOKEN_HOURS * 3_600_000),
      },
    });
    await enqueueEmail(tx, {
      storeId: store.id,
      to: input.email,
      email: verifyEmailMessage({
        name: input.ownerName,
        storeName: input.storeName,
        verifyUrl: `${appUrl}/verify-email?token=${encodeURIComponent(token)}`,
        expiresInHours: VERIFICATION_TOKEN_HOURS,
      }),
    });
    const actor = { type: 'STORE_USER', id: user.id } as const;
    await recordAuditEvent(tx, { actor, action: 'store.signed_up', storeId: store.id, targetType: 'Store', targetId: store.id });
    await tx.storeInfoRevision.create({
      data: { storeId: store.id, version: 1, source: 'ENROLMENT', storeUserId: user.id, name: input.storeName, contactEmail: input.email },
    });
    // The POS comes first: each application links every POS of the store to its acquirer.
    await tx.pos.create({ data: { storeId: store.id, name: FIRST_POS_NAME } });
    const applyingStore = { id: store.id, name: input.storeName, contactEmail: input.email };
    for (const [index, contract] of input.contracts.entries()) {
      await applyForContractInTx(tx, {
        store: applyingStore,
        actor,
        acquirer: acquirers.get(contract.acquirerCode)!,
        merchantNumber: contract.merchantNumber,
        pinHash: pinHashes[index]!,
      });
    }
  };

  try {
    await db().$transaction(createOrNotify);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Two sign-ups for one new address (or one merchant number) raced and this one lost: its
    // transaction rolled back whole. Run it again; it now finds the winner's account and takes
    // the "account exists" path (or finds the merchant number held), so both callers get the
    // same answer and nothing tells them apart.
    await db().$transaction(createOrNotify);
  }
  return { email: input.email };
}
