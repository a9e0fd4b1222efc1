import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { env } from '@/lib/env';
import type { PosProfile } from '@/lib/pos/get-pos-profile';
import {
  createOrderResponseSchema,
  createOrderSchema,
  getOrderResponseSchema,
  getPaymentResponseSchema,
  listPaymentsQuerySchema,
  listPaymentsResponseSchema,
  settlementResponseSchema,
  shopOrderRefSchema,
} from '@/lib/payments/schemas';
import { settlementBodySchema } from '@/lib/payments/settle-through-api';
import { webhookEventBodySchema, webhookKeysSchema } from '@/lib/webhooks/schemas';
import { EVENT_ID_HEADER, SIGNATURE_HEADER } from '@/lib/webhooks/signature';

/**
 * The POS API's OpenAPI 3.1 document, generated from the same zod schemas that validate requests and shape
 * answers (lib/payments/schemas.ts), so the document says what the code does. Served at
 * /api/v1/pos/openapi.json and rendered at /docs/pos-api. A route under app/api/v1/pos must be registered
 * here: lib/payments/openapi.int.test.ts fails for a route missing from the document and for a documented
 * operation no route serves.
 */

export const POS_API_VERSION = '1.0.0';

const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. validation_failed, not_found, idempotency_key_reused.', example: 'validation_failed' }),
      message: z.string().meta({ description: 'What went wrong, for people. Never holds secrets.', example: 'currency: Use one of the supported currencies: JPY, USD, EUR, GBP.' }),
      fields: z
        .array(z.object({ path: z.string().meta({ example: 'lineItems.0.quantity' }), message: z.string() }))
        .optional()
        .meta({ description: 'For validation_failed: every field that is wrong, by its dotted path in the body or query.' }),
    }),
  })
  .meta({ id: 'Error', description: 'Every failure answers in this shape.' });

// A mirror of PosProfile for the document; the type check below keeps the two in step.
const posProfileSchema = z
  .object({
    pos: z.object({ id: z.uuid(), name: z.string(), status: z.enum(['ACTIVE', 'DISABLED']) }),
    store: z.object({ id: z.uuid(), name: z.string(), status: z.enum(['PENDING', 'ACTIVE', 'SUSPENDED', 'WITHDRAWN']) }),
    acquirers: z.array(
      z.object({
        code: z.string().meta({ example: 'ACQ-CARD' }),
        name: z.string(),
        brands: z.array(z.string()).meta({ example: ['VISA', 'MASTER'] }),
        registered: z.boolean().meta({ description: 'This POS has certificates with this acquirer and may authorise through it.' }),
      }),
    ),
    canAuthorize: z.boolean().meta({ description: 'True only for an active store and POS registered with at least one acquirer: only then are orders taken.' }),
  })
  .meta({ id: 'PosProfile' });
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const posProfileMatches: Same<z.infer<typeof posProfileSchema>, PosProfile> = true;
void posProfileMatches;

const idempotencyKeyHeaders = z.object({
  'Idempotency-Key': z.string().min(1).max(255).meta({
    description:
      'Required on every POST: 1–255 printable ASCII characters, e.g. a UUID, new for each new request. A repeat with the same key and the same body gets the first answer again (with `Idempotent-Replayed: true`) without doing the work twice; the same key with another body is refused with 422 idempotency_key_reused. Keys are remembered for 24 hours.',
    example: '6f1c1c9e-4a8e-4e43-9d55-1f7a3a9b2c10',
  }),
});

const json = (schema: z.ZodType, description: string): ResponseConfig => ({ description, content: { 'application/json': { schema } } });
const failure = (description: string): ResponseConfig => json(errorSchema, description);

const replayedHeader = {
  [`Idempotent-Replayed`]: { description: 'Present, and `true`, when this is the stored answer to an earlier request with the same Idempotency-Key.', schema: { type: 'string' as const, enum: ['true'] } },
};

const common = {
  401: failure('unauthenticated: no valid POS API key (missing, wrong or revoked key, disabled POS, withdrawn store). Comes with `WWW-Authenticate: Bearer`.'),
  500: failure('internal_error: something failed on ServerPOS’s side. Safe to retry; a POST with the same Idempotency-Key runs again.'),
};

const orderIdParams = z.object({ orderId: z.uuid().meta({ description: 'ServerPOS’s id of the order.' }) });
const shopOrderRefParams = z.object({ shopOrderRef: shopOrderRefSchema.meta({ description: 'The shop’s reference, percent-encoded (e.g. encodeURIComponent).' }) });
const paymentIdParams = z.object({ paymentId: z.uuid() });

/** Every operation of the POS API, in the order the documentation lists them. */
export const posApiRoutes: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/pos/me',
    operationId: 'getMe',
    tags: ['POS'],
    summary: 'The calling POS, its store and acquirers',
    description: 'Who this API key acts for, and whether the POS can take payments now (`canAuthorize`).',
    responses: { 200: json(posProfileSchema, 'The POS, its store and its acquirers.'), ...common },
  },
  {
    method: 'post',
    path: '/api/v1/pos/orders',
    operationId: 'createOrder',
    tags: ['Orders'],
    summary: 'Pre-register an order',
    description:
      'Registers what the customer is about to pay, server to server. ServerPOS computes the amount (the sum of unitAmount × quantity; more than 0 and at most 10^12 minor units) and the description the customer agrees to, and answers the checkout URL to send the customer’s browser to. The store must be active and the POS registered with at least one acquirer. With `viaPosId` the order goes to another store’s POS under an affiliate grant that store gave yours: the payment runs under that store’s contracts, within the grant’s limits, and only your key reads and settles it.',
    request: {
      headers: idempotencyKeyHeaders,
      body: { required: true, description: 'The order. Unknown fields are refused. At most 64 KiB.', content: { 'application/json': { schema: createOrderSchema } } },
    },
    responses: {
      201: { ...json(createOrderResponseSchema, 'The order was registered.'), headers: replayedHeader },
      400: failure('validation_failed (the body; `fields` lists each problem), invalid_json, or idempotency_key_required.'),
      ...common,
      404: failure('not_found: `viaPosId` names no POS another store lets yours use.'),
      409: failure('conflict: this POS already has an order with this shopOrderRef. store_inactive: the store is not active, or the POS is disabled or registered with no acquirer. idempotency_request_in_progress: the first request with this key is still running (retry shortly).'),
      413: failure('body_too_large: the body is over 64 KiB.'),
      415: failure('unsupported_media_type: send `Content-Type: application/json`.'),
      422: failure('idempotency_key_reused: this Idempotency-Key was used for a different request. affiliate_limit: with `viaPosId`, the order is outside the affiliate grant (withdrawn, not yet or no longer valid, another currency, over the most per payment); the message says which.'),
    },
  },
  {
    method: 'get',
    path: '/api/v1/pos/orders/{orderId}',
    operationId: 'getOrder',
    tags: ['Orders'],
    summary: 'An order with its payments',
    request: { params: orderIdParams },
    responses: { 200: json(getOrderResponseSchema, 'The order and every payment made for it, newest first.'), ...common, 404: failure('not_found: no such order for this POS.') },
  },
  {
    method: 'get',
    path: '/api/v1/pos/orders/by-ref/{shopOrderRef}',
    operationId: 'getOrderByRef',
    tags: ['Orders'],
    summary: 'An order with its payments, by the shop’s reference',
    request: { params: shopOrderRefParams },
    responses: { 200: json(getOrderResponseSchema, 'The order and every payment made for it, newest first.'), ...common, 404: failure('not_found: no order with this reference for this POS.') },
  },
  {
    method: 'get',
    path: '/api/v1/pos/payments',
    operationId: 'listPayments',
    tags: ['Payments'],
    summary: 'List payments',
    description: 'This POS’s payments, newest first (ties in creation time by id), a page at a time: pass `nextCursor` back as `cursor`, with the same filters, until it is null.',
    request: { query: listPaymentsQuerySchema },
    responses: { 200: json(listPaymentsResponseSchema, 'A page of payments.'), 400: failure('validation_failed: a filter, the limit or the cursor is wrong.'), ...common },
  },
  {
    method: 'get',
    path: '/api/v1/pos/payments/{paymentId}',
    operationId: 'getPayment',
    tags: ['Payments'],
    summary: 'A payment',
    request: { params: paymentIdParams },
    responses: { 200: json(getPaymentResponseSchema, 'The payment.'), ...common, 404: failure('not_found: no such payment for this POS.') },
  },
  ...(['capture', 'void', 'refund'] as const).map(settlementRoute),
  {
    method: 'get',
    path: '/api/v1/pos/webhook-keys',
    operationId: 'getWebhookKeys',
    tags: ['Webhooks'],
    summary: 'The public keys webhooks are signed with',
    description:
      'No API key needed. A JWKS of Ed25519 keys: the one that signs now and retired ones still published. Cache it (up to 5 minutes); when a delivery names a `kid` you do not have, fetch the set again once.',
    security: [],
    responses: { 200: json(webhookKeysSchema, 'The keys, as a JSON Web Key Set.'), 500: common[500] },
  },
];

/** The POST ServerPOS sends to a POS's webhook URL (OpenAPI 3.1 `webhooks`). */
const paymentEventWebhook: RouteConfig = {
  method: 'post',
  path: 'paymentEvent',
  operationId: 'paymentEvent',
  tags: ['Webhooks'],
  summary: 'A payment event, POSTed to the POS’s webhook URL',
  request: {
    headers: z.object({
      [EVENT_ID_HEADER]: z.uuid().meta({ description: 'The event’s id (as in the body). Deliveries are at least once: de-duplicate by it.' }),
      [SIGNATURE_HEADER]: z.string().meta({
        description: '`t=<unix seconds>,kid=<key id>,v1=<base64url (no padding) Ed25519 signature over the UTF-8 bytes of `${t}.${rawBody}`>`.',
        example: 't=1795923000,kid=webhook-key-1,v1=0Z6h…',
      }),
    }),
    body: { required: true, content: { 'application/json': { schema: webhookEventBodySchema } } },
  },
  responses: { 200: { description: 'Any 2xx within 10 s acknowledges the event. Anything else, or no answer, is retried with backoff (about a day).' } },
};

function settlementRoute(kind: 'capture' | 'void' | 'refund'): RouteConfig {
  const what = {
    capture: { path: 'capture', summary: 'Capture a payment', description: 'Captures an authorised payment through its acquirer (CapReq): all that remains, or `amount` minor units of it.' },
    void: { path: 'void', summary: 'Void a payment', description: 'Cancels the whole authorisation of a payment not yet captured (AuthRevReq to zero). Send `{}`: a void takes no amount.' },
    refund: { path: 'refunds', summary: 'Refund a payment', description: 'Refunds a captured payment through its acquirer (CredReq): all that was captured and not yet refunded, or `amount` minor units of it. Several partial refunds may follow one another.' },
  }[kind];
  return {
    method: 'post',
    path: `/api/v1/pos/payments/{paymentId}/${what.path}`,
    operationId: `${kind}Payment`,
    tags: ['Payments'],
    summary: what.summary,
    description: `${what.description} Allowed for a suspended store too: money already promised settles.`,
    request: {
      params: paymentIdParams,
      headers: idempotencyKeyHeaders,
      body: {
        required: true,
        description: 'Send `{}` for the whole remaining amount.',
        content: { 'application/json': { schema: settlementBodySchema.meta({ id: 'SettlementRequest' }) } },
      },
    },
    responses: {
      200: { ...json(settlementResponseSchema, 'The acquirer approved; the payment as it now stands.'), headers: replayedHeader },
      202: {
        ...json(settlementResponseSchema, 'The acquirer did not answer: the transaction is `unknown` and is settled later; fetch the payment to follow it. Or, for a POS that captures in the daily batch, the capture is `queued` and goes out with the day’s batch (a void or refund of the payment is 409 until then).'),
        headers: replayedHeader,
      },
      400: failure('validation_failed (e.g. an amount for a void), invalid_json, or idempotency_key_required.'),
      ...common,
      404: failure('not_found: no such payment for this POS.'),
      409: failure('invalid_state_transition: the payment cannot be captured, voided or refunded in its state, or the amount is more than remains. conflict: another capture or void of it is in progress. idempotency_request_in_progress.'),
      413: failure('body_too_large.'),
      415: failure('unsupported_media_type: send `Content-Type: application/json`.'),
      422: failure('upstream_refused: the acquirer refused (its code is in the message). idempotency_key_reused.'),
    },
  };
}

/** The OpenAPI document, with `serverUrl` (the app's public address) as its one server. */
export function buildPosApiDocument(options: { serverUrl: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'posApiKey', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'spk_<prefix>_<secret>',
    description: 'A POS API key, created on the console’s POS page and shown once: `Authorization: Bearer spk_…`.',
  });
  for (const route of posApiRoutes) registry.registerPath(route);
  registry.registerWebhook(paymentEventWebhook);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'ServerPOS POS API',
      version: POS_API_VERSION,
      description:
        'The API a store’s web shop calls, server to server, with one of its POS’s API keys. Amounts are integer minor units of an ISO 4217 currency (JPY has none). Every failure answers `{ "error": { "code", "message" } }` with a 4xx status for anything the caller can fix.',
    },
    servers: [{ url: options.serverUrl.replace(/\/+$/, '') }],
    security: [{ posApiKey: [] }],
    tags: [
      { name: 'POS', description: 'The calling POS.' },
      { name: 'Orders', description: 'Orders pre-registered by the shop; the customer pays them at the hosted checkout.' },
      { name: 'Payments', description: 'Payment attempts for the orders: authorisation, capture, refunds, declines.' },
      {
        name: 'Webhooks',
        description:
          'ServerPOS POSts every payment outcome (payment.authorized, .declined, .failed, .captured, .voided, .refunded) to the webhook URL set for the POS in the console, as JSON: `{ id, type, createdAt, data: { payment, order: { id, shopOrderRef } } }`. Each POST carries `ServerPOS-Event-Id` and `ServerPOS-Signature: t=<unix seconds>,kid=<key id>,v1=<signature>`, an Ed25519 signature (base64url, no padding) over the UTF-8 bytes of `${t}.${rawBody}`. Verify it with the key named by kid from GET /api/v1/pos/webhook-keys, refuse a t more than 300 s from your clock, then de-duplicate by event id: deliveries are at least once. Answer 2xx within 10 s to acknowledge; anything else is retried with backoff.',
      },
    ],
  });
}

export type PosApiDocument = ReturnType<typeof buildPosApiDocument>;

let served: { serverUrl: string; document: PosApiDocument } | null = null;

/** The document for this deployment (its server is APP_URL), built once per process. */
export function posApiDocument(): PosApiDocument {
  const serverUrl = env().APP_URL;
  if (served?.serverUrl !== serverUrl) served = { serverUrl, document: buildPosApiDocument({ serverUrl }) };
  return served.document;
}

/** The error shape and response helpers, shared with the acquirer API's document (lib/acquirers/openapi.ts). */
export { errorSchema as apiErrorSchema, json as jsonResponse, failure as failureResponse };
