import { db } from '@/lib/db/client';
import { clientIpFrom } from '@/lib/http/client-ip';
import { assertRateLimitOpen, consumeRateLimit, type RateLimit } from '@/lib/security/rate-limit';

/** Failed authentications one client address may make on an API in a window, before all its requests are refused. */
export const API_AUTH_FAILURES_PER_IP = 20;
export const API_AUTH_FAILURE_WINDOW_SECONDS = 300;

export type KeyedApi = 'pos-api' | 'acquirer-api';

/**
 * The failed-authentication limit of one API for the client address a request names (lib/http/client-ip.ts).
 * Counted per address, not per key: a key's public prefix (or an acquirer's credential id) is known to more
 * people than its holder, and a per-key limit would let any of them lock a shop's server out by sending wrong
 * secrets. Null when the request names no readable address: the app's server fills X-Forwarded-For in from the
 * connection, so only a client that wrote a malformed one itself gets there — and it could as well write a
 * fresh valid address each time. A per-address limit is only as good as the proxy in front (README).
 */
export function apiAuthFailureLimit(api: KeyedApi, headers: { get(name: string): string | null }): RateLimit | null {
  const ipAddress = clientIpFrom(headers);
  return ipAddress ? { key: `${api}:auth-failures:ip:${ipAddress}`, limit: API_AUTH_FAILURES_PER_IP, windowSeconds: API_AUTH_FAILURE_WINDOW_SECONDS } : null;
}

/**
 * Refuses (429 rate_limited) a request from an address that has used up its failed authentications in this
 * window — even one with a good key, until the window ends, so a guesser cannot tell a hit from a miss.
 */
export async function assertApiAuthAllowed(limit: RateLimit | null): Promise<void> {
  if (limit) await assertRateLimitOpen(db(), limit);
}

/** Counts one failed authentication of the address. */
export async function countApiAuthFailure(limit: RateLimit | null): Promise<void> {
  if (limit) await consumeRateLimit(db(), limit);
}
