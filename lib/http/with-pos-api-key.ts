import { isAppError } from '@/lib/errors';
import { jsonError, jsonRoute } from '@/lib/http/json-route';
import { authenticatePosApiKey, presentedPosApiKey, type PosPrincipal } from '@/lib/pos/authenticate-pos-api-key';
import { apiAuthFailureLimit, assertApiAuthAllowed, countApiAuthFailure } from '@/lib/security/api-auth-limit';

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a POS API route handler: resolves the POS API key once, so the handler gets the store, POS and
 * actor it acts for; a request without a valid key answers 401 with a Bearer challenge. A client address
 * that presented a wrong key API_AUTH_FAILURES_PER_IP times in the window gets 429 rate_limited (with
 * Retry-After) for every request until the window ends, good key or not.
 */
export function withPosApiKey<P = Record<string, string>>(handler: (request: Request, pos: PosPrincipal, context: RouteContext<P>) => Promise<Response>) {
  return jsonRoute<P>(async (request, context) => {
    const failures = apiAuthFailureLimit('pos-api', request.headers);
    await assertApiAuthAllowed(failures);
    let pos: PosPrincipal;
    try {
      pos = await authenticatePosApiKey({ authorization: request.headers.get('authorization') });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'unauthenticated') throw error;
      // Only a key that was presented and refused is a failed authentication; a request with no key guessed nothing.
      if (presentedPosApiKey(request.headers.get('authorization'))) await countApiAuthFailure(failures);
      return jsonError(error, { 'WWW-Authenticate': 'Bearer realm="ServerPOS POS API"' });
    }
    return handler(request, pos, context);
  });
}
