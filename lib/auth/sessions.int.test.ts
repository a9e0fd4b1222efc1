import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/authenticate';
import { endSession, resolveSession, startSession } from '@/lib/auth/sessions';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { createOperator, createStoreWithOwner } from '@/lib/testing/fixtures';

async function storeSession() {
  const owner = await createStoreWithOwner();
  const principal: Principal = { kind: 'store', userId: owner.userId, storeId: owner.storeId, email: owner.email, name: 'Test Owner' };
  return { principal, sessionId: await startSession(principal) };
}

/** Moves a session's last activity into the past instead of waiting. */
async function lastSeen(sessionId: string, msAgo: number) {
  await db().authSession.update({ where: { id: sessionId }, data: { lastSeenAt: new Date(Date.now() - msAgo) } });
}

describe('startSession and resolveSession', () => {
  it('start a row for a store user that resolves to the same principal, ending after SESSION_MAX_HOURS', async () => {
    const before = Date.now();
    const { principal, sessionId } = await storeSession();

    const row = await db().authSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row).toMatchObject({ subject: 'STORE_USER', storeUserId: principal.userId, operatorUserId: null, endedAt: null });
    const lifetimeMs = row.expiresAt.getTime() - before;
    expect(lifetimeMs).toBeGreaterThanOrEqual(env().SESSION_MAX_HOURS * 3_600_000);
    expect(lifetimeMs).toBeLessThan(env().SESSION_MAX_HOURS * 3_600_000 + 10_000);

    expect(await resolveSession(sessionId)).toEqual({ ok: true, principal });
  });

  it('start and resolve an operator session', async () => {
    const operator = await createOperator();
    const principal: Principal = { kind: 'operator', userId: operator.userId, email: operator.email, name: 'Test Operator' };
    const sessionId = await startSession(principal);
    expect(await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).toMatchObject({ subject: 'OPERATOR', operatorUserId: operator.userId, storeUserId: null });
    expect(await resolveSession(sessionId)).toEqual({ ok: true, principal });
  });

  it('refuses an id that names no session, and one that is not an id at all', async () => {
    expect(await resolveSession(randomUUID())).toEqual({ ok: false, reason: 'unknown' });
    expect(await resolveSession("' OR 1=1 --")).toEqual({ ok: false, reason: 'unknown' });
    expect(await resolveSession('')).toEqual({ ok: false, reason: 'unknown' });
    // 36 characters of the right alphabet, but not a UUID: still unknown, not a database error.
    expect(await resolveSession('-'.repeat(36))).toEqual({ ok: false, reason: 'unknown' });
    expect(await resolveSession('a'.repeat(36))).toEqual({ ok: false, reason: 'unknown' });
  });
});

describe('idle timeout', () => {
  it(`ends a session unused for SESSION_IDLE_MINUTES, for good`, async () => {
    const { sessionId } = await storeSession();
    await lastSeen(sessionId, env().SESSION_IDLE_MINUTES * 60_000 + 1000);

    expect(await resolveSession(sessionId)).toEqual({ ok: false, reason: 'idle' });
    expect((await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).endedAt).toBeInstanceOf(Date);
    // A copy of the cookie is no good afterwards either, even with fresh activity on the row.
    await lastSeen(sessionId, 0);
    expect(await resolveSession(sessionId)).toEqual({ ok: false, reason: 'ended' });
  });

  it('keeps a session used within the limit, and records the activity', async () => {
    const { principal, sessionId } = await storeSession();
    await lastSeen(sessionId, env().SESSION_IDLE_MINUTES * 60_000 - 60_000);
    const before = Date.now();

    expect(await resolveSession(sessionId)).toEqual({ ok: true, principal });
    const row = await db().authSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.endedAt).toBeNull();
    expect(row.lastSeenAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('does not rewrite lastSeenAt on every request', async () => {
    const { sessionId } = await storeSession();
    await lastSeen(sessionId, 5000);
    const { lastSeenAt } = await db().authSession.findUniqueOrThrow({ where: { id: sessionId } });

    expect((await resolveSession(sessionId)).ok).toBe(true);
    expect((await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).lastSeenAt).toEqual(lastSeenAt);
  });
});

describe('absolute expiry', () => {
  it('refuses a session past expiresAt however recently it was used', async () => {
    const { sessionId } = await storeSession();
    await db().authSession.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1000), lastSeenAt: new Date() } });
    expect(await resolveSession(sessionId)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('endSession', () => {
  it('ends the row so the session no longer resolves', async () => {
    const { sessionId } = await storeSession();
    await endSession(sessionId);
    const { endedAt } = await db().authSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(endedAt).toBeInstanceOf(Date);
    expect(await resolveSession(sessionId)).toEqual({ ok: false, reason: 'ended' });

    // Ending it twice keeps the first end.
    await endSession(sessionId);
    expect((await db().authSession.findUniqueOrThrow({ where: { id: sessionId } })).endedAt).toEqual(endedAt);
  });

  it('ends only the session it is given', async () => {
    const first = await storeSession();
    const second = await startSession(first.principal);
    await endSession(first.sessionId);
    expect(await resolveSession(second)).toEqual({ ok: true, principal: first.principal });
  });

  it('ignores an id that is not an id', async () => {
    await expect(endSession('not-a-session')).resolves.toBeUndefined();
    await expect(endSession('-'.repeat(36))).resolves.toBeUndefined();
  });
});
