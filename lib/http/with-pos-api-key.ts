import { isAppError } from '@/lib/errors';
import { jsonError, jsonRoute } from '@/lib/http/json-route';
import { authenticatePosApiKey, type PosPrincipal } from '@/lib/pos/authenticate-pos-api-key';

type RouteContext<P> = { params: Promise<P> };

/**
 * Wraps a POS API route handler: resolves the POS API key once, so the handler gets the store, POS and
 * actor it acts for; a request without a valid key answers 401 with a Bearer challenge.
 */
export function withPosApiKey<P = Record<string, string>>(handler: (request: Request, pos: PosPrincipal, context: RouteContext<P>) => Promise<Response>) {
  return jsonRoute<P>(async (request, context) => {
    let pos: PosPrincipal;
    try {
      pos = await authenticatePosApiKey({ authorization: request.headers.get('authorization') });
    } catch (error) {
      if (isAppError(error) && error.code === 'unauthenticated') return jsonError(error, { 'WWW-Authenticate': 'Bearer realm="ServerPOS POS API"' });
      throw error;
    }
    return handler(request, pos, context);
  });
}
