import { headers } from 'next/headers';
import { clientIpFrom } from '@/lib/http/client-ip';

/** Where a request came from, as kept on audit events. Either part may be unknown. */
export interface RequestOrigin {
  ipAddress: string | null;
  userAgent: string | null;
}

export const unknownOrigin: RequestOrigin = { ipAddress: null, userAgent: null };

/** The columns' sizes (AuditEvent.ipAddress, AuditEvent.userAgent). */
export const IP_ADDRESS_MAX_LENGTH = 64;
export const USER_AGENT_MAX_LENGTH = 300;

/**
 * The origin named by a request's headers: the client address as the proxy reports it (first hop of
 * X-Forwarded-For, else X-Real-IP) and the user agent cut to 300 characters. What cannot be a real value
 * is dropped rather than stored: an address that does not parse (or is too long to keep), a user agent
 * with control characters in it. Without a trusted proxy a client can write these headers itself, so
 * they describe a request; they never decide anything.
 */
export function requestOriginFrom(source: { get(name: string): string | null }): RequestOrigin {
  const ipAddress = clientIpFrom(source);
  return {
    ipAddress: ipAddress && ipAddress.length <= IP_ADDRESS_MAX_LENGTH ? ipAddress : null,
    userAgent: cleanUserAgent(source.get('user-agent')),
  };
}

function cleanUserAgent(value: string | null): string | null {
  const trimmed = value?.trim();
  if (!trimmed || /[\u0000-\u001f\u007f]/.test(trimmed)) return null;
  // Cut by code points, as the column counts characters, so a surrogate pair is never split.
  const codePoints = Array.from(trimmed);
  return codePoints.length <= USER_AGENT_MAX_LENGTH ? trimmed : codePoints.slice(0, USER_AGENT_MAX_LENGTH).join('').trimEnd();
}

/** The origin of the request a server action or route handler is serving; unknown outside a request. */
export async function requestOrigin(): Promise<RequestOrigin> {
  try {
    return requestOriginFrom(await headers());
  } catch {
    // next/headers throws outside a request scope (scripts, the worker): the event simply has no origin.
    return unknownOrigin;
  }
}
