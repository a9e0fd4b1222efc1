/** Methods that change nothing, by the HTTP rules every route here keeps. */
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * False for a state-changing request a browser sent from another site's page: its Origin names another host
 * than the one it was sent to (X-Forwarded-For's sibling X-Forwarded-Host, else Host — the same comparison
 * Next.js makes for server actions), it is `null` (a sandboxed frame, a redirect across sites), or, without
 * an Origin, Sec-Fetch-Site says another site. A request with neither header comes from no browser, and so
 * carries no victim's cookies. True for safe methods.
 */
export function isSameOriginRequest(method: string, headers: { get(name: string): string | null }): boolean {
  if (safeMethods.has(method.toUpperCase())) return true;
  const origin = headers.get('origin');
  if (origin === null) {
    const site = headers.get('sec-fetch-site');
    return site === null || site === 'same-origin' || site === 'none';
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  if (!originHost) return false;
  const forwardedHost = headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  return originHost === forwardedHost || originHost === headers.get('host');
}
