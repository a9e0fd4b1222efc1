import { z } from 'zod';
import { hashPassword, passwordSchema } from '@/lib/auth/password';
import { pinSchema, verifyPin } from '@/lib/auth/pin';
import {
  MAX_PIN_FAILURES,
  MAX_RESET_ATTEMPTS,
  PIN_LOCK_MINUTES,
  RECOVERY_CONTRACT_STATUSES,
  RESET_PASSWORD_PER_IP_PER_HOUR,
} from '@/lib/auth/recovery-policy';
import { sha256Hex } from '@/lib/auth/tokens';
import { anonymousActor, recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { passwordChangedMessage, recoveryPinLockedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { consumeRateLimit } from '@/lib/security/rate-limit';
import { merchantNumberSchema } from '@/lib/stores/schemas';
import { parseInput } from '@/lib/validation';

export const resetTokenSchema = z.string({ error: 'The link is incomplete.' }).regex(/^[A-Za-z0-9_-]{43}$/, 'The link is incomplete or damaged.');

export const resetPasswordSchema = z
  .object({
    token: resetTokenSchema,
    // In capitals, as enrolment keeps it: "m-1001" is the merchant number M-1001.
    merchantNumber: merchantNumberSchema,
    pin: pinSchema,
    password: passwordSchema,
    confirmPassword: z.string({ error: 'Repeat the new password.' }).min(1, 'Repeat the new password.'),
  })
  .refine((input) => input.password === input.confirmPassword, { path: ['confirmPassword'], message: 'The two passwords are not the same.' });

const WRONG_ANSWER = 'The merchant number or PIN is not correct.';

const invalidLink = () => new AppError('token_invalid', 'This link is not valid or was already used. Ask for a new one on the "Forgot your password?" page.');

function pinLockedError(until: Date, now: Date) {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new AppError('account_locked', `Too many wrong PINs: this PIN is locked. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
}

/**
 * Sets a new password with an e-mailed reset link plus something only the
 * store knows: the merchant number and PIN of one of its own contracts.
 *
 * A wrong merchant number and a wrong PIN get the same answer, and each costs
 * the link one of its MAX_RESET_ATTEMPTS; a wrong PIN for a merchant number
 * the store does hold also counts against that contract's PIN, which locks
 * after MAX_PIN_FAILURES. Those counts are written before the answer goes
 * out, in a transaction of their own, so an error never rolls them back.
 *
 * On success the link is spent (a guarded update: of two concurrent uses one
 * wins), every session of the user ends, a sign-in lockout is lifted, and the
 * user is told by e-mail. `origin` keys the per-client rate limit and is
 * kept on the audit events.
 */
export async function resetPassword(options: { input: unknown; origin?: RequestOrigin | null; now?: Date }): Promise<{ email: string }> {
  const input = parseInput(resetPasswordSchema, options.input);
  const origin = options.origin ?? null;
  const now = options.now ?? new Date();
  await consumeRateLimit(db(), { key: `reset-password:ip:${options.origin?.ipAddress ?? 'unknown'}`, limit: RESET_PASSWORD_PER_IP_PER_HOUR, windowSeconds: 3600, now });

  const token = await db().passwordResetToken.findUnique({
    where: { tokenHash: sha256Hex(input.token) },
    select: {
      id: true,
      usedAt: true,
      expiresAt: true,
      failedAttempts: true,
      storeUser: { select: { id: true, email: true, name: true, storeId: true, store: { select: { name: true } } } },
    },
  });
  if (!token || token.usedAt || token.failedAttempts >= MAX_RESET_ATTEMPTS) throw invalidLink();
  if (token.expiresAt <= now) throw new AppError('token_expired', 'This link has expired or was replaced by a newer one. Ask for a new one on the "Forgot your password?" page.');
  const user = token.storeUser;

  // Only this store's own contracts: another store's merchant number is as wrong as a made-up one.
  const candidates = await db().acquirerContract.findMany({
    where: { storeId: user.storeId, merchantNumber: input.merchantNumber, pinHash: { not: null }, status: { in: RECOVERY_CONTRACT_STATUSES } },
    select: { id: true, acquirerId: true, pinHash: true, pinLockedUntil: true, acquirer: { select: { name: true } } },
  });
  const open = candidates.filter((contract) => !contract.pinLockedUntil || contract.pinLockedUntil <= now);
  if (candidates.length > 0 && open.length === 0) {
    // While locked no PIN is even checked, so the lock cannot be used to go on guessing.
    const until = candidates.map((contract) => contract.pinLockedUntil!).sort((a, b) => a.getTime() - b.getTime())[0]!;
    throw pinLockedError(until, now);
  }

  let matched: (typeof open)[number] | undefined;
  for (const contract of open) {
    if (await verifyPin(contract.pinHash, input.pin)) {
      matched = contract;
      break;
    }
  }
  // An unknown merchant number costs a PIN check too, so timing does not tell it from a wrong PIN.
  if (open.length === 0) await verifyPin(null, input.pin);

  if (!matched) {
    const outcome = await db().$transaction(async (tx) => {
      const { failedAttempts } = await tx.passwordResetToken.update({
        where: { id: token.id },
        data: { failedAttempts: { increment: 1 } },
        select: { failedAttempts: true },
      });
      let lockedUntil: Date | null = null;
      for (const contract of open) {
        const { pinFailedCount } = await tx.acquirerContract.update({
          where: { id: contract.id },
          data: { pinFailedCount: { increment: 1 } },
          select: { pinFailedCount: true },
        });
        if (pinFailedCount < MAX_PIN_FAILURES) continue;
        lockedUntil = new Date(now.getTime() + PIN_LOCK_MINUTES * 60_000);
        await tx.acquirerContract.update({ where: { id: contract.id }, data: { pinFailedCount: 0, pinLockedUntil: lockedUntil } });
        await recordAuditEvent(tx, {
          actor: anonymousActor,
          action: 'contract.recovery_pin_locked',
          storeId: user.storeId,
          targetType: 'AcquirerContract',
          targetId: contract.id,
          data: { acquirerId: contract.acquirerId, lockMinutes: PIN_LOCK_MINUTES },
          origin,
        });
        await enqueueEmail(tx, {
          storeId: user.storeId,
          to: user.email,
          email: recoveryPinLockedMessage({ storeName: user.store.name, acquirerName: contract.acquirer.name, lockedMinutes: PIN_LOCK_MINUTES }),
        });
      }
      await recordAuditEvent(tx, {
        actor: anonymousActor,
        action: 'auth.password_reset_failed',
        storeId: user.storeId,
        targetType: 'StoreUser',
        targetId: user.id,
        data: { failedAttempts, merchantNumberMatched: open.length > 0 },
        origin,
      });
      return { failedAttempts, lockedUntil };
    });
    if (outcome.lockedUntil) throw pinLockedError(outcome.lockedUntil, now);
    if (outcome.failedAttempts >= MAX_RESET_ATTEMPTS) throw new AppError('invalid_credentials', `${WRONG_ANSWER} This link no longer works: ask for a new one.`);
    throw new AppError('invalid_credentials', WRONG_ANSWER);
  }

  const passwordHash = await hashPassword(input.password);
  const contract = matched;
  await db().$transaction(async (tx) => {
    const claimed = await tx.passwordResetToken.updateMany({
      where: { id: token.id, usedAt: null, expiresAt: { gt: now }, failedAttempts: { lt: MAX_RESET_ATTEMPTS } },
      data: { usedAt: now },
    });
    if (claimed.count !== 1) throw invalidLink();
    await tx.storeUser.update({ where: { id: user.id }, data: { passwordHash, failedLoginCount: 0, lockedUntil: null } });
    await tx.acquirerContract.update({ where: { id: contract.id }, data: { pinFailedCount: 0, pinLockedUntil: null } });
    // Whoever signed in with the old password (perhaps the reason for the reset) is signed out.
    const sessions = await tx.authSession.updateMany({ where: { storeUserId: user.id, endedAt: null }, data: { endedAt: now } });
    await tx.passwordResetToken.updateMany({ where: { storeUserId: user.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
    await recordAuditEvent(tx, {
      actor: { type: 'STORE_USER', id: user.id },
      action: 'auth.password_reset',
      storeId: user.storeId,
      targetType: 'StoreUser',
      targetId: user.id,
      data: { contractId: contract.id, acquirerId: contract.acquirerId, sessionsEnded: sessions.count },
      origin,
    });
    await enqueueEmail(tx, {
      storeId: user.storeId,
      to: user.email,
      email: passwordChangedMessage({ name: user.name, storeName: user.store.name, loginUrl: `${env().APP_URL}/login` }),
    });
  });
  return { email: user.email };
}
