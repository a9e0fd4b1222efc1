import { hashPassword } from '@/lib/auth/password';
import { newToken, sha256Hex } from '@/lib/auth/tokens';
import { recordAuditEvent, anonymousActor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation, type Tx } from '@/lib/db/client';
import { env } from '@/lib/env';
import { accountExistsMessage, verifyEmailMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { signUpSchema } from '@/lib/stores/schemas';
import { parseInput } from '@/lib/validation';

export const VERIFICATION_TOKEN_HOURS = 24;

/**
 * A new store signs up: the store (PENDING), its owner and an e-mail
 * verification token are created, and the verification e-mail is put in the
 * outbox, all in one transaction. The answer is the same whether or not the
 * address already has an account, so sign-up cannot be used to find out who
 * uses ServerPOS; the owner of an existing address is told by e-mail instead.
 */
export async function signUp(rawInput: unknown): Promise<{ email: string }> {
  const input = parseInput(signUpSchema, rawInput);
  const passwordHash = await hashPassword(input.password);
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
    await recordAuditEvent(tx, { actor: { type: 'STORE_USER', id: user.id }, action: 'store.signed_up', storeId: store.id, targetType: 'Store', targetId: store.id });
  };

  try {
    await db().$transaction(createOrNotify);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Two sign-ups for one new address raced and this one lost: its transaction rolled back
    // whole. Run it again; it now finds the winner's account and takes the "account exists"
    // path, so both callers get the same answer and nothing tells them apart.
    await db().$transaction(createOrNotify);
  }
  return { email: input.email };
}
