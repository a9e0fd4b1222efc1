import { verifyPassword } from '@/lib/auth/password';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { consumeRateLimit } from '@/lib/security/rate-limit';

/** Re-entries of one's password (to set a PIN, to resume processing) per user per 15 minutes. */
export const CONFIRM_PASSWORD_PER_USER = 5;

/**
 * Asks a signed-in store user for their password again before a sensitive
 * change, so a session left open (or stolen) is not enough on its own. The
 * attempts are rate-limited per user: the form must not become a way to
 * guess the password without the sign-in lockout.
 *
 * `field` names the form field the error belongs to.
 */
export async function confirmCurrentPassword(options: { storeUserId: string; password: string; field: string; now?: Date }): Promise<void> {
  await consumeRateLimit(db(), { key: `confirm-password:${options.storeUserId}`, limit: CONFIRM_PASSWORD_PER_USER, windowSeconds: 900, now: options.now });
  const user = await db().storeUser.findUnique({ where: { id: options.storeUserId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, options.password))) {
    throw new AppError('invalid_credentials', 'Your password is not correct.', [{ path: options.field, message: 'Your password is not correct.' }]);
  }
}
