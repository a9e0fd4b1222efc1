import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  changeResponseSchema,
  enrolmentBodySchema,
  listStoresQuerySchema,
  listStoresResponseSchema,
  merchantNumberParamsSchema,
  storeInfoResponseSchema,
  storeResponseSchema,
  suspendBodySchema,
} from '@/lib/acquirers/acquirer-api-schemas';
import { ACQUIRER_SIGNATURE_HEADER } from '@/lib/acquirers/request-signature';
import { env } from '@/lib/env';
import { failureResponse as failure, jsonResponse as json } from '@/lib/payments/openapi';
import { acquirerStoreInfoSchema } from '@/lib/stores/schemas';

/**
 * The acquirer admin API's OpenAPI 3.1 document, generated from the zod schemas the routes validate with
 * (lib/acquirers/acquirer-api-schemas.ts). Served at /api/v1/acquirer/openapi.json. The signature format
 * itself is in docs/acquirer-api.md; a route under app/api/v1/acquirer must be registered here
 * (lib/acquirers/acquirer-api.int.test.ts checks both ways).
 */

export const ACQUIRER_API_VERSION = '1.0.0';

const signatureHeaders = z.object({
  [ACQUIRER_SIGNATURE_HEADER]: z.string().meta({ description: 'Compact JWS (typ acquirer-request+jws) over method, path, query, body hash, timestamp, nonce and credential id, signed with your gateway signature key; see docs/acquirer-api.md.' }),
});

const settlementReportQuerySchema = z.object({
  from: z.iso.date().optional().meta({ description: 'First UTC day, YYYY-MM-DD.' }),
  to: z.iso.date().optional().meta({ description: 'Last UTC day, YYYY-MM-DD (default today).' }),
  merchantNumber: z.string().max(40).optional().meta({ description: 'Only this store of yours.' }),
});

// A mirror of AcquirerSettlementReport (lib/stats) for the document.
const settlementReportSchema = z
  .object({
    acquirer: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
    from: z.iso.date(),
    to: z.iso.date(),
    rows: z.array(
      z.object({
        day: z.iso.date(),
        store: z.object({ id: z.uuid(), name: z.string(), merchantNumber: z.string() }),
        byCurrency: z.array(z.looseObject({ currency: z.string() })).meta({ description: 'Per currency: { count, amount } of each kind (authorizations, captures, refunds, voids, declines).' }),
        declinesByReason: z.array(z.object({ code: z.string(), count: z.number().int() })),
      }),
    ),
  })
  .meta({ id: 'SettlementReport' });

const common = {
  401: failure('The signature or the credential was refused: missing_signature, missing_credential, invalid_credentials, malformed_message, unsupported_algorithm, signature_invalid, request_mismatch, stale_message, message_from_future, replayed_message, identity_mismatch, or a certificate code (certificate_revoked, untrusted_root, …).'),
  413: failure('body_too_large: the body is over 64 KiB.'),
  500: failure('internal_error: something failed on ServerPOS’s side.'),
};
const notFound = { 404: failure('not_found: no store of yours has this merchant number (another acquirer’s is not found either).') };
const badBody = {
  400: failure('invalid_json or validation_failed (`fields` lists each problem).'),
  415: failure('unsupported_media_type: send `Content-Type: application/json`.'),
};

/** Every operation of the acquirer API. */
export const acquirerApiRoutes: RouteConfig[] = [
  {
    method: 'get',
    path: '/api/v1/acquirer/stores',
    operationId: 'listStores',
    tags: ['Stores'],
    summary: 'Your stores and their status',
    description: 'The stores holding a contract with you, by merchant number, a page at a time.',
    request: { headers: signatureHeaders, query: listStoresQuerySchema },
    responses: { 200: json(listStoresResponseSchema, 'A page of stores.'), 400: failure('validation_failed: a query parameter is wrong.'), ...common },
  },
  {
    method: 'get',
    path: '/api/v1/acquirer/stores/{merchantNumber}',
    operationId: 'getStore',
    tags: ['Stores'],
    summary: 'One of your stores',
    request: { headers: signatureHeaders, params: merchantNumberParamsSchema },
    responses: { 200: json(storeResponseSchema, 'The store.'), ...common, ...notFound },
  },
  {
    method: 'post',
    path: '/api/v1/acquirer/stores/{merchantNumber}/suspension',
    operationId: 'suspendStore',
    tags: ['Suspension'],
    summary: 'Suspend a store, for every acquirer at once',
    description:
      'From the moment this answers, no new authorisation of the store goes through any acquirer; captures, voids and refunds of earlier authorisations still work. The store is told by e-mail and in its console. Suspending a suspended store changes nothing (`changed: false`).',
    request: { headers: signatureHeaders, params: merchantNumberParamsSchema, body: { required: true, content: { 'application/json': { schema: suspendBodySchema } } } },
    responses: { 200: json(changeResponseSchema, 'The store, suspended.'), ...badBody, ...common, ...notFound, 409: failure('invalid_state_transition: your contract is not in force, or the store is not active yet or has withdrawn.') },
  },
  {
    method: 'delete',
    path: '/api/v1/acquirer/stores/{merchantNumber}/suspension',
    operationId: 'resumeStore',
    tags: ['Suspension'],
    summary: 'Lift your suspension',
    description: 'Only a suspension you made; the operator lifts an acquirer’s from its console. Resuming an active store changes nothing (`changed: false`).',
    request: { headers: signatureHeaders, params: merchantNumberParamsSchema },
    responses: { 200: json(changeResponseSchema, 'The store, active again.'), ...common, ...notFound, 409: failure('invalid_state_transition: the suspension is the store’s, the operator’s or another acquirer’s. conflict: the status changed meanwhile.') },
  },
  {
    method: 'put',
    path: '/api/v1/acquirer/stores/{merchantNumber}/info',
    operationId: 'putStoreInfo',
    tags: ['Store information'],
    summary: 'Your new store information',
    description: 'A version newer than ServerPOS’s is applied and sent to the store’s other acquirers; the same version again is answered as before.',
    request: { headers: signatureHeaders, params: merchantNumberParamsSchema, body: { required: true, content: { 'application/json': { schema: acquirerStoreInfoSchema } } } },
    responses: { 200: json(storeInfoResponseSchema, 'What ServerPOS made of it.'), ...badBody, ...common, ...notFound, 409: failure('conflict: ServerPOS holds a newer version (it is being sent to you). invalid_state_transition: your contract is not verified.') },
  },
  {
    method: 'post',
    path: '/api/v1/acquirer/stores/{merchantNumber}/enrolment',
    operationId: 'confirmEnrolment',
    tags: ['Contracts'],
    summary: 'Verify or reject a store’s application',
    request: { headers: signatureHeaders, params: merchantNumberParamsSchema, body: { required: true, content: { 'application/json': { schema: enrolmentBodySchema } } } },
    responses: { 200: json(changeResponseSchema, 'The store with its contract verified or rejected; the store is e-mailed.'), ...badBody, ...common, ...notFound, 409: failure('invalid_state_transition: the application was already answered the other way.') },
  },
  {
    method: 'post',
    path: '/api/v1/acquirer/stores/{merchantNumber}/withdrawal',
    operationId: 'confirmWithdrawal',
    tags: ['Contracts'],
    summary: 'Confirm a withdrawal the store asked for',
    description: 'The contract becomes WITHDRAWN; with no contract left in force the store closes. Confirming again changes nothing.',
    request: { headers: signatureHeaders, params: merchantNumberParamsSchema },
    responses: { 200: json(changeResponseSchema, 'The store with its contract withdrawn.'), ...common, ...notFound, 409: failure('invalid_state_transition: the store has not asked to withdraw from you.') },
  },
  {
    method: 'get',
    path: '/api/v1/acquirer/reports/settlement',
    operationId: 'getSettlementReport',
    tags: ['Reports'],
    summary: 'Your settlement report',
    description: 'Per UTC day and store, what went through you: counts and amounts (minor units, as decimal strings) of authorisations, captures, refunds, voids and declines per currency, and the declines by reason; newest day first. From the daily rollups, so today fills in as the rollup runs.',
    request: { headers: signatureHeaders, query: settlementReportQuerySchema },
    responses: {
      200: json(settlementReportSchema, 'The report.'),
      400: failure('validation_failed: a date is not YYYY-MM-DD, from is after to, or the period is too long.'),
      ...common,
      404: failure('not_found: merchantNumber is not one of yours.'),
    },
  },
];

/** The document, with `serverUrl` (the app's public address) as its one server. */
export function buildAcquirerApiDocument(options: { serverUrl: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'acquirerCredential', {
    type: 'http',
    scheme: 'bearer',
    description: 'The API credential secret the ServerPOS operator issued to you. Every request also carries X-Acquirer-Signature (see docs/acquirer-api.md).',
  });
  for (const route of acquirerApiRoutes) registry.registerPath(route);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'ServerPOS acquirer admin API',
      version: ACQUIRER_API_VERSION,
      description:
        'What an acquirer tells ServerPOS about its merchants, and reads from it. Every request carries two factors: `Authorization: Bearer <credential secret>` and `X-Acquirer-Signature`, a JWS made with your gateway signature key (docs/acquirer-api.md). You see and act only on stores holding a contract with you; any other merchant number is 404 not_found. Every call is audited.',
    },
    servers: [{ url: options.serverUrl.replace(/\/+$/, '') }],
    security: [{ acquirerCredential: [] }],
    tags: [
      { name: 'Stores', description: 'The stores holding a contract with you.' },
      { name: 'Suspension', description: 'Stopping and restarting a store’s processing.' },
      { name: 'Store information', description: 'Name and contact details, newest version wins.' },
      { name: 'Contracts', description: 'Enrolments and withdrawals.' },
      { name: 'Reports', description: 'Settlement figures of your stores.' },
    ],
  });
}

export type AcquirerApiDocument = ReturnType<typeof buildAcquirerApiDocument>;

let served: { serverUrl: string; document: AcquirerApiDocument } | null = null;

/** The document for this deployment (its server is APP_URL), built once per process. */
export function acquirerApiDocument(): AcquirerApiDocument {
  const serverUrl = env().APP_URL;
  if (served?.serverUrl !== serverUrl) served = { serverUrl, document: buildAcquirerApiDocument({ serverUrl }) };
  return served.document;
}
