/**
 * The security headers of every HTML page the app serves: the console, the operator console, the sign-in,
 * sign-up and recovery pages, the documentation and the hosted checkout. No Next.js import: proxy.ts applies
 * them per request, because a script nonce must be new for every response and Next.js only puts it on its own
 * scripts when the request's Content-Security-Policy carries one.
 */

/** Which page is answered; only the embeddable checkout may ever be framed, and only by the store's origins. */
export type PageKind =
  | { kind: 'console' }
  | { kind: 'checkout' }
  /** `/checkout/<token>?embed=1`: `frameOrigins` are the store's registered origins (none: nobody may frame it). */
  | { kind: 'checkout-embed'; frameOrigins: readonly string[] };

export interface PageHeaderOptions {
  /** Fresh for every response; base64. */
  nonce: string;
  page: PageKind;
  /** Development builds of React need eval for their error overlays; production never does. */
  development?: boolean;
}

/**
 * A strict policy: scripts only with this response's nonce (and, through 'strict-dynamic', the chunks those
 * load), no plugins, no <base>, forms posting only to this origin, every fetch, image and font from this
 * origin only.
 *
 * Styles: style sheets and <style> elements need 'self' or the nonce. The console's pages (not the checkout's)
 * also allow inline style *attributes* (`style-src-attr 'unsafe-inline'`): React renders `style={…}` as
 * attributes in the server's HTML (the charts' sizes, the progress bar's width), and a nonce cannot cover an
 * attribute. An attribute can restyle the element it sits on and nothing else (no selectors, so no reading of
 * other elements), and anything it would load is still bound to img-src and font-src: 'self'.
 */
export function pageContentSecurityPolicy(options: PageHeaderOptions): string {
  const nonce = `'nonce-${options.nonce}'`;
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonced bootstrap load the page's chunks; 'self' is the fallback for older browsers.
    `script-src 'self' ${nonce} 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' ${nonce}`,
    ...(options.page.kind === 'console' ? ["style-src-attr 'unsafe-inline'"] : []),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors(options.page)}`,
  ].join('; ');
}

function frameAncestors(page: PageKind): string {
  if (page.kind !== 'checkout-embed') return "'none'";
  // Checked again on the way out: a value that is not exactly an origin (say, with a ';') never reaches the header.
  const origins = page.frameOrigins.filter((origin) => frameOriginProblem(origin) === null && new URL(origin).origin === origin);
  return origins.length > 0 ? origins.join(' ') : "'none'";
}

/** The column's width (Store.checkoutFrameOrigins). */
export const MAX_FRAME_ORIGIN_LENGTH = 200;

// Plain http only for a shop on the developer's own machine; everywhere else a frame around a card form must be https.
const developmentHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why `value` cannot be a registered origin, or null. It must be exactly an origin — scheme, host and
 * optional port, nothing else — because it goes into a Content-Security-Policy `frame-ancestors` list as
 * written: a path would be ignored there, a wildcard would let any subdomain (anyone's, on a shared host)
 * frame the card form, and `'self'`/`*`/keywords would mean something else entirely.
 */
export function frameOriginProblem(value: string): string | null {
  if (value.length > MAX_FRAME_ORIGIN_LENGTH) return `An origin is at most ${MAX_FRAME_ORIGIN_LENGTH} characters.`;
  if (value.includes('*')) return 'Wildcards are not allowed: list each origin.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Write an origin such as https://shop.example (scheme and host, optionally a port).';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && developmentHosts.has(url.hostname))) {
    return 'Use https:// (plain http:// only for localhost or 127.0.0.1 while developing).';
  }
  if (url.username || url.password) return 'An origin carries no user name or password.';
  // Host names as URL writes them (IDNs in punycode) or a bracketed IPv6 address: nothing a policy would read as syntax.
  if (!/^(([a-z0-9-]+\.)*[a-z0-9-]+|\[[0-9a-f:.]+\])$/.test(url.hostname)) return 'That is not a host name.';
  // URL adds the "/" itself; anything beyond that (a path, a query, a fragment) was written by the store.
  if (`${url.origin}/` !== url.href || !/^[a-z]+:\/\/[^/?#]+\/?$/i.test(value)) return 'Only the origin: no path, query or fragment.';
  return null;
}

/** Every header a page answers with, the Content-Security-Policy included. */
export function pageSecurityHeaders(options: PageHeaderOptions): Record<string, string> {
  const checkout = options.page.kind !== 'console';
  return {
    'Content-Security-Policy': pageContentSecurityPolicy(options),
    // The checkout's URL holds its token: no Referer at all. The consoles' URLs hold ids only.
    'Referrer-Policy': checkout ? 'no-referrer' : 'same-origin',
    ...(checkout ? { 'Cache-Control': 'no-store' } : {}),
    // Browsers that know frame-ancestors ignore X-Frame-Options; older ones at least keep every page but the
    // embeddable checkout out of other sites' frames. It cannot name other origins, so the embed sends none.
    ...(options.page.kind === 'checkout-embed' ? {} : { 'X-Frame-Options': 'DENY' }),
    'X-Content-Type-Options': 'nosniff',
  };
}

/** A fresh nonce: 18 random bytes, base64 (no Node import, so the proxy could run on any runtime). */
export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
}
