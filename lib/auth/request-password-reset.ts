import { z } from 'zod';
import {
  FORGOT_PASSWORD_PER_EMAIL_PER_HOUR,
  FORGOT_PASSWORD_PER_IP_PER_HOUR,
  RECOVERY_CONTRACT_STATUSES,
  RESET_TOKEN_MINUTES,
} from '@/lib/auth/recovery-policy';
import { newToken, sha256Hex } from '@/lib/auth/tokens';
import { anonymousActor, recordAuditEvent } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { passwordResetMessage, passwordResetNeedsOperatorMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { consumeRateLimit } from '@/lib/security/rate-limit';
import { emailSchema } from '@/lib/stores/schemas';
import { parseInput } from '@/lib/validation';

export const forgotPasswordSchema = z.object({ email: emailSchema });

/**
 * "Forgot your password?": when the address belongs to a store user, writes a
 * reset token (its SHA-256 only) and e-mails the link, in one transaction;
 * earlier unused links of that user stop working. A store with no recovery
 * PIN gets an e-mail pointing to the operator instead of a link.
 *
 * The caller learns nothing either way: the answer is the same for any
 * address, and the rate limits count every request, known address or not.
 * `origin` (where the request came from) keys the per-client limit and is
 * kept on the audit event.
 */
export async function requestPasswordReset(options: { input: unknown; origin?: RequestOrigin | null; now?: Date }): Promise<void> {
  const { email } = parseInput(forgotPasswordSchema, options.input);
  const now = options.now ?? new Date();
  // Counted on their own, before anything else, so a refused request still uses up its hit.
  await consumeRateLimit(db(), { key: `forgot-password:ip:${options.origin?.ipAddress ?? 'unknown'}`, limit: FORGOT_PASSWORD_PER_IP_PER_HOUR, windowSeconds: 3600, now });
  // The address is hashed: the counter table need not hold a list of who asked.
  await consumeRateLimit(db(), { key: `forgot-password:email:${sha256Hex(email)}`, limit: FORGOT_PASSWORD_PER_EMAIL_PER_HOUR, windowSeconds: 3600, now });

  const user = await db().storeUser.findUnique({
    where: { email },
    select: { id: true, name: true, email: true, storeId: true, store: { select: { name: true } } },
  });
  if (!user) return;

  const token = newToken();
  const appUrl = env().APP_URL;
  await db().$transaction(async (tx) => {
    const recoverable = await tx.acquirerContract.count({
      where: { storeId: user.storeId, pinHash: { not: null }, status: { in: RECOVERY_CONTRACT_STATUSES } },
    });
    // Whoever asked is anonymous: the address is all they gave.
    const actor = anonymousActor;
    if (recoverable === 0) {
      await enqueueEmail(tx, { storeId: user.storeId, to: user.email, email: passwordResetNeedsOperatorMessage({ name: user.name, storeName: user.store.name }) });
      await recordAuditEvent(tx, { actor, action: 'auth.password_reset_unavailable', storeId: user.storeId, targetType: 'StoreUser', targetId: user.id, origin: options.origin });
      return;
    }
    // Only the newest link works: an older one that leaked is worth nothing once a new one is asked for.
    await tx.passwordResetToken.updateMany({
      where: { storeUserId: user.id, usedAt: null, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    const created = await tx.passwordResetToken.create({
      data: { storeUserId: user.id, tokenHash: sha256Hex(token), expiresAt: new Date(now.getTime() + RESET_TOKEN_MINUTES * 60_000) },
      select: { id: true },
    });
    await enqueueEmail(tx, {
      storeId: user.storeId,
      to: user.email,
      email: passwordResetMessage({
        name: user.name,
        storeName: user.store.name,
        resetUrl: `${appUrl}/reset-password?token=${encodeURIComponent(token)}`,
        expiresInMinutes: RESET_TOKEN_MINUTES,
      }),
    });
    await recordAuditEvent(tx, {
      actor,
      action: 'auth.password_reset_requested',
      storeId: user.storeId,
      targetType: 'PasswordResetToken',
      targetId: created.id,
      origin: options.origin,
    });
  });
}
