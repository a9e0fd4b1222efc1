/**
 * The response headers of the hosted checkout page. The page takes card
 * data, so it runs nothing but its own scripts (a per-request nonce, which
 * Next.js puts on its own script tags), talks to nothing but its own origin,
 * leaks no URL (the checkout token) in a Referer, and is never cached.
 * No Next.js import: proxy.ts applies it.
 */

export interface CheckoutHeaderOptions {
  /** Fresh for every response; base64. */
  nonce: string;
  /** The embeddable variant (`?embed=1`) may be framed by the configured origins; the full page by nobody. */
  embed: boolean;
  /** Space-separated sources for frame-ancestors, as validated by lib/env.ts. */
  frameAncestors: string;
  /** Development builds of React need eval for their error overlays; production never does. */
  development?: boolean;
}

export function checkoutContentSecurityPolicy(options: CheckoutHeaderOptions): string {
  const nonce = `'nonce-${options.nonce}'`;
  return [
    "default-src 'self'",
    // 'strict-dynamic' lets the nonced bootstrap load the page's chunks; 'self' is the fallback for older browsers.
    `script-src 'self' ${nonce} 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' ${nonce}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${options.embed ? options.frameAncestors : "'none'"}`,
  ].join('; ');
}

export function checkoutSecurityHeaders(options: CheckoutHeaderOptions): Record<string, string> {
  return {
    'Content-Security-Policy': checkoutContentSecurityPolicy(options),
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    // Browsers that know frame-ancestors ignore this; older ones at least keep the page out of other sites' frames.
    'X-Frame-Options': options.embed ? 'SAMEORIGIN' : 'DENY',
  };
}

/**
 * The headers of the checkout API's answers (PInitRes, PRes): never cached, and `no-transform`, which also keeps
 * the framework from gzipping them. They are signed JWS, base64url that compresses little, and compressing
 * every answer cost the app about a tenth of its CPU per authorization (docs/performance.md).
 */
export const CHECKOUT_ANSWER_HEADERS = { 'Cache-Control': 'no-store, no-transform' } as const;
