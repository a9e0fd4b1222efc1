import { z } from 'zod';
import { verifyAgainstDummy, verifyPassword } from '@/lib/auth/password';
import { sha256Hex } from '@/lib/auth/tokens';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Tx } from '@/lib/db/client';
import { AppError, isAppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { accountLockedMessage } from '@/lib/mail/templates';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { assertRateLimitOpen, consumeRateLimit, RateLimitedError, type RateLimit } from '@/lib/security/rate-limit';
import { parseInput } from '@/lib/validation';

export const MAX_FAILED_LOGINS = 10;
export const LOCK_MINUTES = 30;
/** Failed sign-ins (either console) from one client address in a window, before its sign-ins are refused. */
export const SIGN_IN_FAILURES_PER_IP = 30;
/** Failed sign-ins with one e-mail address (per console) in a window, known account or not. */
export const SIGN_IN_FAILURES_PER_ADDRESS = 20;
export const SIGN_IN_FAILURE_WINDOW_SECONDS = 900;

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
 * The failure limits a sign-in is under: per client address (both consoles together: one guesser trying
 * many accounts) and per e-mail address and console (many addresses trying one account, whether it exists
 * or not, so the answer tells nothing about that). The address is hashed: the counters are not a list of
 * who tried to sign in. No per-address limit when the request names no readable client address (see
 * lib/security/api-auth-limit.ts for why that costs nothing).
 */
function signInLimits(kind: PrincipalKind, email: string, origin: RequestOrigin | undefined): RateLimit[] {
  const window = { windowSeconds: SIGN_IN_FAILURE_WINDOW_SECONDS };
  return [
    ...(origin?.ipAddress ? [{ key: `sign-in:ip:${origin.ipAddress}`, limit: SIGN_IN_FAILURES_PER_IP, ...window }] : []),
    { key: `sign-in:${kind}:email:${sha256Hex(email)}`, limit: SIGN_IN_FAILURES_PER_ADDRESS, ...window },
  ];
}

/**
 * Checks an e-mail address and password. After MAX_FAILED_LOGINS failures in
 * a row the account is locked for LOCK_MINUTES: while locked, no password is
 * even checked, so the lock cannot be used to go on guessing. `origin` is
 * where the sign-in came from, kept on its audit events.
 *
 * Failed sign-ins are also counted per client address and per e-mail address
 * (signInLimits); once either has reached its limit in the window, every
 * sign-in it covers is refused with rate_limited, the right password too,
 * before any password is checked.
 */
export async function authenticate(kind: PrincipalKind, rawInput: unknown, context: { origin?: RequestOrigin } = {}): Promise<Principal> {
  const input = parseInput(credentialsSchema, rawInput);
  const limits = signInLimits(kind, input.email, context.origin);
  for (const limit of limits) await assertRateLimitOpen(db(), limit);
  try {
    return await checkCredentials(kind, input, context.origin);
  } catch (error) {
    // A wrong password (or an unknown address, or a locked account) counts; an unconfirmed address had the right one.
    if (isAppError(error) && (error.code === 'invalid_credentials' || error.code === 'account_locked')) {
      for (const limit of limits) await countFailedSignIn(limit);
    }
    throw error;
  }
}

/** Counts a failed sign-in. Going over the limit refuses the next sign-ins; this one keeps its own answer. */
async function countFailedSignIn(limit: RateLimit): Promise<void> {
  try {
    await consumeRateLimit(db(), limit);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
  }
}

async function checkCredentials(kind: PrincipalKind, input: z.infer<typeof credentialsSchema>, origin: RequestOrigin | undefined): Promise<Principal> {
  const table = accounts[kind];
  // No account's address holds a control character, and PostgreSQL refuses a NUL in a query: just a wrong login.
  const account = /[\u0000-\u001f\u007f]/.test(input.email) ? null : await table.find(input.email);
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
