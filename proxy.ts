import { NextResponse, type NextRequest } from 'next/server';
import { REQUEST_PATH_HEADER } from '@/lib/http/request-path';

/**
 * Tells the console pages which path was asked for, so that a visitor sent to
 * sign in comes back to that page (a layout cannot see the path otherwise).
 * The header is always overwritten here, so a client cannot choose it; the
 * login page still checks it with safeNextPath.
 */
export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ['/console/:path*', '/operator/:path*'] };
