import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import type { Principal } from '@/lib/auth/authenticate';
import { isUuid } from '@/lib/validation';

/** lastSeenAt is written at most this often, to keep reads cheap. */
const TOUCH_EVERY_MS = 15_000;

/**
 * Console sessions are rows, not just signed cookies: the cookie names a row,
 * and the row decides. So logout and idle expiry end a session for real, even
 * for someone who kept a copy of the cookie.
 */
export async function startSession(principal: Principal): Promise<string> {
  const now = new Date();
  const session = await db().authSession.create({
    data: {
      subject: principal.kind === 'store' ? 'STORE_USER' : 'OPERATOR',
      storeUserId: principal.kind === 'store' ? principal.userId : null,
      operatorUserId: principal.kind === 'operator' ? principal.userId : null,
      expiresAt: new Date(now.getTime() + env().SESSION_MAX_HOURS * 3_600_000),
    },
    select: { id: true },
  });
  return session.id;
}

export type SessionCheck = { ok: true; principal: Principal } | { ok: false; reason: 'unknown' | 'ended' | 'idle' | 'expired' };

/** Looks a session up, applies the idle and absolute limits, and records the activity. */
export async function resolveSession(sessionId: string): Promise<SessionCheck> {
  if (!isUuid(sessionId)) return { ok: false, reason: 'unknown' };
  const session = await db().authSession.findUnique({
    where: { id: sessionId },
    include: {
      storeUser: { select: { id: true, storeId: true, email: true, name: true } },
      operatorUser: { select: { id: true, email: true, name: true } },
    },
  });
  if (!session) return { ok: false, reason: 'unknown' };
  if (session.endedAt) return { ok: false, reason: 'ended' };
  const now = Date.now();
  if (session.expiresAt.getTime() <= now) return { ok: false, reason: 'expired' };
  if (session.lastSeenAt.getTime() + env().SESSION_IDLE_MINUTES * 60_000 <= now) {
    await endSession(session.id);
    return { ok: false, reason: 'idle' };
  }
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db().authSession.updateMany({ where: { id: session.id, endedAt: null }, data: { lastSeenAt: new Date(now) } });
  }
  if (session.storeUser) {
    const user = session.storeUser;
    return { ok: true, principal: { kind: 'store', userId: user.id, storeId: user.storeId, email: user.email, name: user.name } };
  }
  if (session.operatorUser) {
    const user = session.operatorUser;
    return { ok: true, principal: { kind: 'operator', userId: user.id, email: user.email, name: user.name } };
  }
  return { ok: false, reason: 'unknown' };
}

export async function endSession(sessionId: string): Promise<void> {
  if (!isUuid(sessionId)) return;
  await db().authSession.updateMany({ where: { id: sessionId, endedAt: null }, data: { endedAt: new Date() } });
}
