import type { CookieOption, CookiesOptions } from 'next-auth';

/**
 * The console's cookies, as next-auth sets them. All HttpOnly (no script reads them; the sign-in form fetches
 * its CSRF token from /api/auth/csrf) and SameSite=Lax: another site's page can neither post a form nor run a
 * fetch with the session, while a link from an e-mail still opens a signed-in page.
 *
 * Under https (APP_URL) they are Secure, and the session and CSRF cookies take the `__Host-` prefix: the
 * browser accepts them only from this very host, over https, for the whole path and with no Domain, so no
 * other host under the same domain (nor a plain-http answer) can plant a session or a CSRF token here.
 * The rest take `__Secure-`. Over plain http (local development) no prefix is possible.
 */
export function authCookies(appUrl: string): CookiesOptions {
  const secure = new URL(appUrl).protocol === 'https:';
  const cookie = (name: string, prefix: '__Host-' | '__Secure-', maxAge?: number): CookieOption => ({
    name: `${secure ? prefix : ''}next-auth.${name}`,
    options: { httpOnly: true, sameSite: 'lax', path: '/', secure, ...(maxAge ? { maxAge } : {}) },
  });
  return {
    sessionToken: cookie('session-token', '__Host-'),
    csrfToken: cookie('csrf-token', '__Host-'),
    callbackUrl: cookie('callback-url', '__Secure-'),
    pkceCodeVerifier: cookie('pkce.code_verifier', '__Secure-', 15 * 60),
    state: cookie('state', '__Secure-', 15 * 60),
    nonce: cookie('nonce', '__Secure-'),
  };
}

/** The name of the session cookie for this APP_URL: the only one a request's session is read from. */
export function sessionCookieName(appUrl: string): string {
  return authCookies(appUrl).sessionToken.name;
}
