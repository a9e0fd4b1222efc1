import * as me from '@/app/api/v1/pos/me/route';
import * as openapi from '@/app/api/v1/pos/openapi.json/route';
import * as orderByRef from '@/app/api/v1/pos/orders/by-ref/[shopOrderRef]/route';
import * as order from '@/app/api/v1/pos/orders/[orderId]/route';
import * as orders from '@/app/api/v1/pos/orders/route';
import * as capture from '@/app/api/v1/pos/payments/[paymentId]/capture/route';
import * as refunds from '@/app/api/v1/pos/payments/[paymentId]/refunds/route';
import * as payment from '@/app/api/v1/pos/payments/[paymentId]/route';
import * as voidPayment from '@/app/api/v1/pos/payments/[paymentId]/void/route';
import * as payments from '@/app/api/v1/pos/payments/route';
import * as webhookKeys from '@/app/api/v1/pos/webhook-keys/route';
import { routeTableFetch, type RouteTable } from '@/lib/testing/route-table-fetch';

/** The POS API's route files by path pattern, as Next.js would route them (`:name` is one path segment). */
const routes: RouteTable = [
  ['/api/v1/pos/me', me],
  ['/api/v1/pos/openapi.json', openapi],
  ['/api/v1/pos/webhook-keys', webhookKeys],
  ['/api/v1/pos/orders', orders],
  ['/api/v1/pos/orders/by-ref/:shopOrderRef', orderByRef],
  ['/api/v1/pos/orders/:orderId', order],
  ['/api/v1/pos/payments', payments],
  ['/api/v1/pos/payments/:paymentId', payment],
  ['/api/v1/pos/payments/:paymentId/capture', capture],
  ['/api/v1/pos/payments/:paymentId/void', voidPayment],
  ['/api/v1/pos/payments/:paymentId/refunds', refunds],
];

/**
 * A `fetch` that hands each request to the POS API's real route handlers in this process instead of
 * sending it over a socket: for integration tests of code that calls the POS API (the SDK, the sample
 * shop) without a running Next.js server. Everything behind the handler — API key, idempotency, domain,
 * database — is the real thing; only the HTTP hop is skipped. Unknown paths answer 404 like Next.js.
 */
export function posApiRouteFetch(): typeof fetch {
  return routeTableFetch(routes);
}
