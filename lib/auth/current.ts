import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { decode } from 'next-auth/jwt';
import type { Principal } from '@/lib/auth/authenticate';
import { sessionCookieName } from '@/lib/auth/cookies';
import { resolveSession } from '@/lib/auth/sessions';
import { env } from '@/lib/env';
import { REQUEST_PATH_HEADER } from '@/lib/http/request-path';
import { safeNextPath } from '@/lib/auth/safe-next';

/** The signed-in principal of this request, or why there is none; resolved once per request. */
export const currentSession = cache(async (): Promise<{ principal: Principal } | { principal: null; reason: string }> => {
  // Only the cookie this APP_URL sets: under https an unprefixed one could have been planted by another host or over http.
  const raw = (await cookies()).get(sessionCookieName(env().APP_URL))?.value;
  if (!raw) return { principal: null, reason: 'none' };
  const token = await decode({ token: raw, secret: env().AUTH_SECRET }).catch(() => null);
  if (!token?.sid) return { principal: null, reason: 'unknown' };
  const check = await resolveSession(token.sid);
  return check.ok ? { principal: check.principal } : { principal: null, reason: check.reason };
});

/** Where to send a visitor who must sign in: back to the page they asked for, when the proxy named it. */
async function signInUrl(as: 'store' | 'operator', reason: string, fallback: string) {
  const requested = (await headers()).get(REQUEST_PATH_HEADER);
  // Only a plain path of this site, and not a huge one (it goes into the redirect's Location header).
  const params = new URLSearchParams({ next: safeNextPath(requested, fallback) });
  if (as === 'operator') params.set('as', 'operator');
  if (reason === 'idle' || reason === 'expired' || reason === 'ended') params.set('reason', 'session_expired');
  return `/login?${params}`;
}

/**
 * Resolves the store user for a page or action under /console/stores/[storeId].
 * Another store's id is "not found", exactly like an id that does not exist.
 */
export async function requireStoreUser(storeId: string): Promise<Extract<Principal, { kind: 'store' }>> {
  const session = await currentSession();
  if (!session.principal) redirect(await signInUrl('store', session.reason, `/console/stores/${storeId}`));
  if (session.principal.kind !== 'store' || session.principal.storeId !== storeId) notFound();
  return session.principal;
}

/** Any signed-in store user, for pages that pick the store from the session. */
export async function requireAnyStoreUser(): Promise<Extract<Principal, { kind: 'store' }>> {
  const session = await currentSession();
  if (!session.principal) redirect(await signInUrl('store', session.reason, '/console'));
  if (session.principal.kind !== 'store') notFound();
  return session.principal;
}

export async function requireOperator(): Promise<Extract<Principal, { kind: 'operator' }>> {
  const session = await currentSession();
  if (!session.principal) redirect(await signInUrl('operator', session.reason, '/operator'));
  if (session.principal.kind !== 'operator') notFound();
  return session.principal;
}
