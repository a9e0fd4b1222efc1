/**
 * The headers of the checkout API's answers (PInitRes, PRes): never cached, and `no-transform`, which also keeps
 * the framework from gzipping them. They are signed JWS, base64url that compresses little, and compressing
 * every answer cost the app about a tenth of its CPU per authorization (docs/performance.md).
 */
export const CHECKOUT_ANSWER_HEADERS = { 'Cache-Control': 'no-store, no-transform' } as const;
