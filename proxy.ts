import { NextResponse, type NextRequest } from 'next/server';
import { checkoutSecurityHeaders } from '@/lib/checkout/security-headers';
import { env } from '@/lib/env';
import { REQUEST_PATH_HEADER } from '@/lib/http/request-path';

/**
 * Tells the console pages which path was asked for, so that a visitor sent to
 * sign in comes back to that page (a layout cannot see the path otherwise).
 * The header is always overwritten here, so a client cannot choose it; the
 * login page still checks it with safeNextPath.
 */
export function proxy(request: NextRequest) {
  if (request.nextUrl.pathname.startsWith('/checkout/')) return checkoutProxy(request);
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

/**
 * The hosted checkout: a fresh script nonce per response (Next.js reads it
 * from the request's Content-Security-Policy and puts it on its own scripts)
 * and the page's security headers. Anonymous visitors are welcome: nothing
 * here sends anyone to sign in.
 */
function checkoutProxy(request: NextRequest) {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))));
  const securityHeaders = checkoutSecurityHeaders({
    nonce,
    embed: request.nextUrl.searchParams.get('embed') === '1',
    frameAncestors: env().CHECKOUT_FRAME_ANCESTORS,
    development: process.env.NODE_ENV === 'development',
  });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', securityHeaders['Content-Security-Policy']!);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
  return response;
}

export const config = { matcher: ['/console/:path*', '/operator/:path*', '/checkout/:path*'] };
