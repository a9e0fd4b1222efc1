import { z } from 'zod';
import { verifyAgainstDummy, verifyPassword } from '@/lib/auth/password';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { accountLockedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { parseInput } from '@/lib/validation';

export const MAX_FAILED_LOGINS = 10;
export const LOCK_MINUTES = 30;

export type PrincipalKind = 'store' | 'operator';

export type Principal =
  | { kind: 'store'; userId: string; storeId: string; email: string; name: string }
  | { kind: 'operator'; userId: string; email: string; name: string };

export const credentialsSchema = z.object({
  // Not the sign-up e-mail schema: a login with a malformed address is just a wrong login.
  email: z.string().trim().min(1, 'Enter your e-mail address.').max(254).transform((value) => value.toLowerCase()),
  password: z.string().min(1, 'Enter your password.').max(128, 'E-mail address or password is wrong.'),
});

interface Account {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  failedLoginCount: number;
  lockedUntil: Date | null;
  storeId: string | null;
  emailVerifiedAt: Date | null;
}

/** The two kinds of console accounts differ only in their table. */
const accounts = {
  store: {
    find: async (email: string): Promise<Account | null> => {
      const user = await db().storeUser.findUnique({ where: { email } });
      return user && { ...user, storeId: user.storeId };
    },
    update: (tx: Tx, id: string, data: { failedLoginCount?: number | { increment: number }; lockedUntil?: Date | null; lastLoginAt?: Date }) =>
      tx.storeUser.update({ where: { id }, data, select: { failedLoginCount: true } }),
  },
  operator: {
    find: async (email: string): Promise<Account | null> => {
      const user = await db().operatorUser.findUnique({ where: { email } });
      return user && { ...user, storeId: null, emailVerifiedAt: user.createdAt };
    },
    update: (tx: Tx, id: string, data: { failedLoginCount?: number | { increment: number }; lockedUntil?: Date | null; lastLoginAt?: Date }) =>
      tx.operatorUser.update({ where: { id }, data, select: { failedLoginCount: true } }),
  },
} as const;

const wrongCredentials = () => new AppError('invalid_credentials', 'E-mail address or password is wrong.');

function lockedError(until: Date) {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  return new AppError('account_locked', `Too many failed sign-ins. This account is locked; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
}

/**
 * Checks an e-mail address and password. After MAX_FAILED_LOGINS failures in
 * a row the account is locked for LOCK_MINUTES: while locked, no password is
 * even checked, so the lock cannot be used to go on guessing. `origin` is
 * where the sign-in came from, kept on its audit events.
 */
export async function authenticate(kind: PrincipalKind, rawInput: unknown, context: { origin?: RequestOrigin } = {}): Promise<Principal> {
  const { origin } = context;
  const input = parseInput(credentialsSchema, rawInput);
  const table = accounts[kind];
  const account = await table.find(input.email);
  if (!account) {
    await verifyAgainstDummy(input.password);
    throw wrongCredentials();
  }
  const now = new Date();
  if (account.lockedUntil && account.lockedUntil > now) throw lockedError(account.lockedUntil);

  const actor: Actor = { type: kind === 'store' ? 'STORE_USER' : 'OPERATOR', id: account.id };
  if (!(await verifyPassword(account.passwordHash, input.password))) {
    const lockedUntil = await db().$transaction(async (tx) => {
      const { failedLoginCount } = await table.update(tx, account.id, { failedLoginCount: { increment: 1 } });
      await recordAuditEvent(tx, { actor, action: 'auth.login_failed', storeId: account.storeId, data: { failedLoginCount }, origin });
      if (failedLoginCount < MAX_FAILED_LOGINS) return null;
      const until = new Date(now.getTime() + LOCK_MINUTES * 60_000);
      await table.update(tx, account.id, { failedLoginCount: 0, lockedUntil: until });
      await recordAuditEvent(tx, { actor, action: 'auth.account_locked', storeId: account.storeId, data: { lockMinutes: LOCK_MINUTES }, origin });
      await enqueueEmail(tx, { storeId: account.storeId, to: account.email, email: accountLockedMessage({ lockedMinutes: LOCK_MINUTES }) });
      return until;
    });
    throw lockedUntil ? lockedError(lockedUntil) : wrongCredentials();
  }
  if (!account.emailVerifiedAt) {
    throw new AppError('email_not_verified', 'Confirm your e-mail address first: open the link in the e-mail we sent you.');
  }
  await db().$transaction(async (tx) => {
    await table.update(tx, account.id, { failedLoginCount: 0, lockedUntil: null, lastLoginAt: now });
    await recordAuditEvent(tx, { actor, action: 'auth.login', storeId: account.storeId, origin });
  });
  return kind === 'store'
    ? { kind, userId: account.id, storeId: account.storeId!, email: account.email, name: account.name }
    : { kind, userId: account.id, email: account.email, name: account.name };
}
