import { z } from 'zod';
import { confirmCurrentPassword } from '@/lib/auth/confirm-current-password';
import { hashPin, pinSchema } from '@/lib/auth/pin';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { isUuid, parseInput } from '@/lib/validation';

export const setRecoveryPinSchema = z
  .object({
    contractId: z.string({ error: 'Choose a contract.' }).refine(isUuid, 'Choose a contract.'),
    pin: pinSchema,
    confirmPin: z.string({ error: 'Repeat the PIN.' }).min(1, 'Repeat the PIN.'),
    currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.').max(128, 'Your password is not correct.'),
  })
  .refine((input) => input.pin === input.confirmPin, { path: ['confirmPin'], message: 'The two PINs are not the same.' });

const notFound = () => new AppError('not_found', 'Contract not found.');

/**
 * Sets or changes the recovery PIN of one of the store's contracts (the PIN
 * that, with the merchant number, lets the store reset its password). Only a
 * user of that store may, and only after re-entering their password. The PIN
 * is kept as an argon2id verifier; a new PIN lifts a lock from wrong guesses
 * at the old one. The audit event records that it changed, never the PIN.
 */
export async function setRecoveryPin(options: { storeId: string; actor: Actor; input: unknown; origin?: RequestOrigin | null }): Promise<{ replaced: boolean }> {
  const input = parseInput(setRecoveryPinSchema, options.input);
  const { actor } = options;
  if (actor.type !== 'STORE_USER' || !actor.id || !isUuid(actor.id) || !isUuid(options.storeId)) throw notFound();
  const user = await db().storeUser.findFirst({ where: { id: actor.id, storeId: options.storeId }, select: { id: true } });
  if (!user) throw notFound();
  const contract = await db().acquirerContract.findFirst({
    where: { id: input.contractId, storeId: options.storeId },
    select: { id: true, acquirerId: true, status: true, pinHash: true },
  });
  if (!contract) throw notFound();
  if (contract.status === 'REJECTED') throw new AppError('invalid_state_transition', 'This application was rejected; a rejected contract cannot hold a recovery PIN.');

  await confirmCurrentPassword({ storeUserId: user.id, password: input.currentPassword, field: 'currentPassword' });
  const pinHash = await hashPin(input.pin);
  const replaced = contract.pinHash !== null;
  await db().$transaction(async (tx) => {
    await tx.acquirerContract.update({ where: { id: contract.id }, data: { pinHash, pinFailedCount: 0, pinLockedUntil: null } });
    await recordAuditEvent(tx, {
      actor,
      action: 'contract.recovery_pin_set',
      storeId: options.storeId,
      targetType: 'AcquirerContract',
      targetId: contract.id,
      data: { acquirerId: contract.acquirerId, replaced },
      origin: options.origin,
    });
  });
  return { replaced };
}
