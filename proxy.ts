import { NextResponse, type NextRequest } from 'next/server';
import { checkoutFrameOrigins } from '@/lib/checkout/checkout-frame-origins';
import { AppError, errorBody } from '@/lib/errors';
import { REQUEST_PATH_HEADER } from '@/lib/http/request-path';
import { isSameOriginRequest } from '@/lib/http/same-origin';
import { newNonce, pageSecurityHeaders, type PageKind } from '@/lib/http/security-headers';
import { describeError, log } from '@/lib/log';

/**
 * Every page: a fresh script nonce and the page's security headers (lib/http/security-headers.ts). Next.js
 * reads the nonce from the request's Content-Security-Policy and puts it on its own scripts.
 *
 * Console pages are also told which path was asked for, so that a visitor sent to sign in comes back to that
 * page (a layout cannot see the path otherwise). The header is always overwritten here, so a client cannot
 * choose it; the login page still checks it with safeNextPath. Anonymous checkout visitors are welcome:
 * nothing here sends anyone to sign in.
 *
 * A state-changing request sent from another site's page (a console form's server action posted by a page
 * elsewhere, with the user's cookies) is refused here with 403, before anything runs. Next.js makes the same
 * check for server actions itself (and answers 500); this one covers every page route and answers as the
 * APIs do.
 *
 * Proxy runs on Node.js in Next.js 16, in the app's process, so the embeddable checkout's frame-ancestors are
 * read from the database (one indexed statement, on the app's pool) for `?embed=1` requests only.
 */
export async function proxy(request: NextRequest) {
  if (!isSameOriginRequest(request.method, request.headers)) return crossOriginRefusal();
  const nonce = newNonce();
  const securityHeaders = pageSecurityHeaders({ nonce, page: await pageKind(request), development: process.env.NODE_ENV === 'development' });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', securityHeaders['Content-Security-Policy']!);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value] of Object.entries(securityHeaders)) response.headers.set(name, value);
  return response;
}

function crossOriginRefusal() {
  const error = new AppError('cross_origin_refused', 'This change can only be made from ServerPOS’s own pages.');
  return NextResponse.json(errorBody(error), { status: error.status });
}

async function pageKind(request: NextRequest): Promise<PageKind> {
  const checkout = /^\/checkout\/([^/]+)\/?$/.exec(request.nextUrl.pathname);
  if (!checkout && !request.nextUrl.pathname.startsWith('/checkout/')) return { kind: 'console' };
  if (!checkout || request.nextUrl.searchParams.get('embed') !== '1') return { kind: 'checkout' };
  try {
    return { kind: 'checkout-embed', frameOrigins: await checkoutFrameOrigins(checkout[1]!) };
  } catch (error) {
    // Without the store's list nobody may frame the page: the embed fails closed, the page itself still loads.
    log.error('checkout frame origins could not be read', describeError(error));
    return { kind: 'checkout-embed', frameOrigins: [] };
  }
}

// Every page; not the APIs (JSON, with their own headers), the build's static files or the favicon.
export const config = { matcher: ['/((?!api/|_next/static/|_next/image|favicon\\.ico).*)'] };
