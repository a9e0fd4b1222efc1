import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAcquirerRequest } from '@/lib/acquirers/request-signature';
import { createPrismaClient, type Db } from '@/lib/db/client';
import { generatePosApiKey } from '@/lib/pos/api-key';
import { createPInitReq, type Signer } from '@/lib/set';
import { credentialFilePath } from '@/sim/acquirer/cli';
import { gatewayKeysPath, readGatewayKeys } from '@/sim/acquirer/keys-file';
import { startCluster, type Cluster } from './support/cluster';
import { serverActionRequest, serverActionsOf, signInOverHttp, type ServerActionEntry } from './support/console-session';
import { changedTables, fingerprintDatabase, type DatabaseFingerprint, type FingerprintExclusions } from './support/database-fingerprint';
import { recordingFetch } from './support/recorder';

/**
 * Tenant isolation (issue 9, item 4): an access matrix over every route × method × actor of a running
 * ServerPOS (real processes over HTTP, so console pages and server actions run with real sessions), with
 * ids swapped between the tenants. Tenant A is the demo store Sakura Books, B is Kumo Coffee; acquirer X
 * (ACQ-JCB) has a contract with A only, acquirer Y (ACQ-BANK) with B only.
 *
 * What a refusal looks like, decided once and documented in docs/security.md:
 * - another tenant's record is "not found" (404), exactly like a record that does not exist, never
 *   "forbidden": a refusal does not tell whether the id exists;
 * - an API called without its credential (or with another kind, e.g. a console session on the POS API) is
 *   401; a console page or action without a session sends the visitor to sign in;
 * - a method a route does not serve is 405 for everyone, before anyone is authenticated;
 * - a refused request leaves the database as it was (fingerprinted before and after every refused request
 *   that could change anything), except for the bookkeeping listed in `refusalBookkeeping`.
 *
 * The matrix is built from the file system: every route handler and page under app/ and every server action
 * of the build must have an entry here, or the test fails.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const METHODS: Method[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

type ActorName = 'ownerA' | 'ownerB' | 'posA' | 'posB' | 'acquirerX' | 'acquirerY' | 'operator' | 'anonymous';
const ACTORS: ActorName[] = ['ownerA', 'ownerB', 'posA', 'posB', 'acquirerX', 'acquirerY', 'operator', 'anonymous'];
type TenantName = 'A' | 'B';
/** The tenant each actor belongs to (the operator and anonymous visitors belong to none). */
const tenantOf: Partial<Record<ActorName, TenantName>> = { ownerA: 'A', posA: 'A', acquirerX: 'A', ownerB: 'B', posB: 'B', acquirerY: 'B' };
const otherTenant = (tenant: TenantName): TenantName => (tenant === 'A' ? 'B' : 'A');

/**
 * Outcomes: `allowed` 2xx; `refused_by_domain` a 4xx with an error code after access control let the
 * request through (validation, conflict, protocol error); `reached` either of those; the rest are refusals
 * by access control.
 */
type Outcome = 'allowed' | 'refused_by_domain' | 'reached' | 'unauthenticated' | 'not_found' | 'method_not_allowed' | 'sign_in';
const REFUSALS: ReadonlySet<Outcome> = new Set(['unauthenticated', 'not_found', 'method_not_allowed', 'sign_in']);

interface Tenant {
  name: TenantName;
  storeId: string;
  storeName: string;
  login: { email: string; password: string };
  posId: string;
  posApiKey: string;
  apiKeyId: string;
  paymentId: string;
  orderId: string;
  shopOrderRef: string;
  checkoutToken: string;
  /** Merchant number under the acquirer only this tenant has a contract with (X for A, Y for B). */
  ownAcquirerMerchantNumber: string;
  contractId: string;
  posAcquirerId: string;
  webhookEventId: string | null;
  /** A notice addressed to this store only. */
  noticeId: string;
}

interface World {
  appUrl: string;
  tenants: Record<TenantName, Tenant>;
  cookies: Partial<Record<ActorName, string>>;
  acquirers: Record<'acquirerX' | 'acquirerY', { code: string; acquirerId: string; credentialId: string; secret: string; signer: Signer }>;
  operatorAcquirerId: string;
}

/** One cell of the matrix: who asks what, and what must happen. */
interface Cell {
  /** The route, page or action, as it is listed in the matrix. */
  entry: string;
  method: Method;
  actor: ActorName;
  /** What the request names: the actor's own tenant, the other tenant, or neither. */
  target: 'own' | 'other' | 'none';
  expect: Outcome;
  /** Whether the request could change anything if it were let through (then the database is fingerprinted around a refusal). */
  mutating: boolean;
  /** The same for everyone (documentation, sign-in, the cardholder's checkout): not a tenant's view, so its examples may name anyone. */
  public?: boolean;
  request: (world: World) => Promise<Request>;
}

// ---------------------------------------------------------------------------------------------------------
// What exists: routes, pages and actions, from the file system and the build.

/** `app/(console)/console/stores/[storeId]/page.tsx` → `/console/stores/:storeId` (groups dropped, params named). */
function urlPattern(file: string): string {
  const segments = path
    .dirname(path.relative('app', file))
    .split(path.sep)
    .filter((segment) => segment !== '.' && !/^\(.*\)$/.test(segment))
    .map((segment) => segment.replace(/^\[\.\.\.(.+)\]$/, '*$1').replace(/^\[(.+)\]$/, ':$1'));
  return `/${segments.join('/')}`;
}

function filesNamed(dir: string, name: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesNamed(full, name));
    else if (entry.name === name) found.push(full);
  }
  return found;
}

const routeFiles = filesNamed('app', 'route.ts').map(urlPattern).sort();
const pageFiles = filesNamed('app', 'page.tsx').map(urlPattern).sort();

/** Every exported function of every 'use server' file: the actions the source has, whatever the build holds. */
function sourceActions(): string[] {
  const actions: string[] = [];
  for (const file of readdirSync('app', { recursive: true }).map((name) => path.join('app', String(name))).filter((name) => name.endsWith('.ts'))) {
    const text = readFileSync(file, 'utf8');
    if (!text.startsWith("'use server';")) continue;
    for (const match of text.matchAll(/^export async function (\w+)/gm)) actions.push(`${file}#${match[1]}`);
  }
  return actions.sort();
}

// ---------------------------------------------------------------------------------------------------------
// Requests per actor.

function withPosKey(world: World, actor: ActorName, headers: Headers) {
  if (actor === 'posA') headers.set('authorization', `Bearer ${world.tenants.A.posApiKey}`);
  if (actor === 'posB') headers.set('authorization', `Bearer ${world.tenants.B.posApiKey}`);
}

/** The request as `actor` sends it: its session cookie, POS API key or signed acquirer headers. */
async function requestAs(world: World, actor: ActorName, method: Method, pathAndQuery: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Request> {
  const body = options.body === undefined ? '' : JSON.stringify(options.body);
  const headers = new Headers({ accept: 'application/json', ...options.headers });
  if (body) headers.set('content-type', 'application/json');
  const cookie = world.cookies[actor];
  if (cookie) headers.set('cookie', cookie);
  withPosKey(world, actor, headers);
  if (actor === 'acquirerX' || actor === 'acquirerY') {
    const acquirer = world.acquirers[actor];
    const signature = await signAcquirerRequest({ method, url: pathAndQuery, body, credentialId: acquirer.credentialId, credentialSecret: acquirer.secret, signer: acquirer.signer });
    for (const [name, value] of Object.entries(signature)) headers.set(name, value);
  }
  return new Request(`${world.appUrl}${pathAndQuery}`, { method, headers, redirect: 'manual', ...(body ? { body } : {}) });
}

// ---------------------------------------------------------------------------------------------------------
// The matrix: API routes.

/**
 * How an API route is reached. `scoped` routes name a tenant's record in the path (or query); the tenant
 * actors are sent to their own record and to the other tenant's, the operator and anonymous visitors to A's.
 */
interface ApiRouteSpec {
  /** Who the route is for: its credential. */
  audience: 'pos' | 'acquirer' | 'public' | 'checkout' | 'auth' | 'none';
  /** Methods the route serves; every other method is 405 for everyone. */
  serves: Partial<
    Record<
      Method,
      {
        path: (tenant: Tenant) => string;
        /** The body of a request that would be carried out if access control let it through. */
        body?: (tenant: Tenant) => unknown;
        /** The body an actor sends to its own record: one its domain refuses, so nothing changes (undefined: the same body). */
        ownBody?: (tenant: Tenant) => unknown;
        /** Whether the path names a tenant's record (then ids are swapped). */
        scoped: boolean;
        mutating: boolean;
        headers?: () => Record<string, string>;
        /** What the actor's own record answers (default: allowed). */
        own?: Outcome;
        /** What anyone gets, whoever they are (public routes, the checkout, which the link's token decides). */
        everyone?: (target: 'own' | 'other' | 'none') => Outcome;
      }
    >
  >;
}

const idempotent = () => ({ 'idempotency-key': randomUUID() });

const apiRoutes: Record<string, ApiRouteSpec> = {
  '/api/*path': { audience: 'none', serves: Object.fromEntries(METHODS.map((method) => [method, { path: () => '/api/v1/no-such-endpoint', scoped: false, mutating: method !== 'GET', everyone: () => 'not_found' as const }])) },
  '/api/auth/*nextauth': {
    audience: 'auth',
    serves: {
      // The session as next-auth shows it to its own holder: name and kind, nobody else's.
      GET: { path: () => '/api/auth/session', scoped: false, mutating: false, everyone: () => 'allowed' },
      // A sign-in as the other store's owner with a wrong password and no CSRF token: refused by next-auth.
      POST: { path: () => '/api/auth/callback/store', scoped: false, mutating: true, body: (tenant) => ({ email: tenant.login.email, password: 'not the password' }), everyone: () => 'sign_in' },
    },
  },
  '/api/checkout/:token/init': {
    audience: 'checkout',
    serves: {
      // The link's token is the cardholder's only credential; a PInitReq for one tenant's order sent through
      // the other tenant's link is a purchase mismatch, whoever sends it.
      POST: { path: (tenant) => `/api/checkout/${tenant.checkoutToken}/init`, scoped: false, mutating: true, everyone: () => 'refused_by_domain' },
    },
  },
  '/api/checkout/:token/pay': {
    audience: 'checkout',
    serves: { POST: { path: (tenant) => `/api/checkout/${tenant.checkoutToken}/pay`, scoped: true, mutating: true, body: () => ({ preq: 'not a PReq', customer: {} }), everyone: () => 'refused_by_domain' } },
  },
  '/api/health': { audience: 'public', serves: { GET: { path: () => '/api/health', scoped: false, mutating: false, everyone: () => 'allowed' } } },
  '/api/v1/acquirer/openapi.json': { audience: 'public', serves: { GET: { path: () => '/api/v1/acquirer/openapi.json', scoped: false, mutating: false, everyone: () => 'allowed' } } },
  '/api/v1/pos/openapi.json': { audience: 'public', serves: { GET: { path: () => '/api/v1/pos/openapi.json', scoped: false, mutating: false, everyone: () => 'allowed' } } },
  // Webhook signing keys are the platform's, not a store's: their public halves are published to everyone.
  '/api/v1/pos/webhook-keys': { audience: 'public', serves: { GET: { path: () => '/api/v1/pos/webhook-keys', scoped: false, mutating: false, everyone: () => 'allowed' } } },
  '/api/v1/signup': {
    audience: 'public',
    serves: { POST: { path: () => '/api/v1/signup', scoped: false, mutating: true, body: () => ({ storeName: '' }), everyone: () => 'refused_by_domain' } },
  },
  '/api/v1/acquirer/reports/settlement': {
    audience: 'acquirer',
    serves: { GET: { path: (tenant) => `/api/v1/acquirer/reports/settlement?from=2026-01-01&to=2026-12-31&merchantNumber=${encodeURIComponent(tenant.ownAcquirerMerchantNumber)}`, scoped: true, mutating: false } },
  },
  '/api/v1/acquirer/stores': { audience: 'acquirer', serves: { GET: { path: () => '/api/v1/acquirer/stores', scoped: false, mutating: false } } },
  '/api/v1/acquirer/stores/:merchantNumber': {
    audience: 'acquirer',
    serves: { GET: { path: (tenant) => `/api/v1/acquirer/stores/${encodeURIComponent(tenant.ownAcquirerMerchantNumber)}`, scoped: true, mutating: false } },
  },
  '/api/v1/acquirer/stores/:merchantNumber/enrolment': {
    audience: 'acquirer',
    serves: {
      POST: {
        path: (tenant) => `/api/v1/acquirer/stores/${encodeURIComponent(tenant.ownAcquirerMerchantNumber)}/enrolment`,
        scoped: true,
        mutating: true,
        body: () => ({ decision: 'rejected', reason: 'Taken over' }),
        ownBody: () => ({ decision: 'maybe' }),
        own: 'refused_by_domain',
      },
    },
  },
  '/api/v1/acquirer/stores/:merchantNumber/info': {
    audience: 'acquirer',
    serves: {
      PUT: {
        path: (tenant) => `/api/v1/acquirer/stores/${encodeURIComponent(tenant.ownAcquirerMerchantNumber)}/info`,
        scoped: true,
        mutating: true,
        body: () => ({ version: 999_999, name: 'Taken over' }),
        ownBody: () => ({ version: 0, name: '' }),
        own: 'refused_by_domain',
      },
    },
  },
  '/api/v1/acquirer/stores/:merchantNumber/suspension': {
    audience: 'acquirer',
    serves: {
      POST: {
        path: (tenant) => `/api/v1/acquirer/stores/${encodeURIComponent(tenant.ownAcquirerMerchantNumber)}/suspension`,
        scoped: true,
        mutating: true,
        body: () => ({ reason: 'Taken over' }),
        ownBody: () => ({ reason: '' }),
        own: 'refused_by_domain',
      },
      // Lifting a suspension that is not there: the store is not suspended, so nothing to do.
      DELETE: { path: (tenant) => `/api/v1/acquirer/stores/${encodeURIComponent(tenant.ownAcquirerMerchantNumber)}/suspension`, scoped: true, mutating: true, own: 'reached' },
    },
  },
  '/api/v1/acquirer/stores/:merchantNumber/withdrawal': {
    audience: 'acquirer',
    // No withdrawal was asked for: the acquirer's confirmation of one is a conflict for the store's own acquirer.
    serves: { POST: { path: (tenant) => `/api/v1/acquirer/stores/${encodeURIComponent(tenant.ownAcquirerMerchantNumber)}/withdrawal`, scoped: true, mutating: true, own: 'refused_by_domain' } },
  },
  '/api/v1/pos/me': { audience: 'pos', serves: { GET: { path: () => '/api/v1/pos/me', scoped: false, mutating: false } } },
  '/api/v1/pos/orders': {
    audience: 'pos',
    serves: {
      POST: {
        path: () => '/api/v1/pos/orders',
        scoped: false,
        mutating: true,
        // B's POS is not registered with an acquirer yet: its order is refused as the store's, after access control.
        own: 'reached',
        headers: idempotent,
        body: () => ({ shopOrderRef: `ISO-${randomUUID()}`.slice(0, 40), currency: 'JPY', lineItems: [{ name: 'Green tea', unitAmount: 640, quantity: 1 }], successUrl: 'https://shop.example/thanks', failureUrl: 'https://shop.example/cart' }),
      },
    },
  },
  '/api/v1/pos/orders/:orderId': { audience: 'pos', serves: { GET: { path: (tenant) => `/api/v1/pos/orders/${tenant.orderId}`, scoped: true, mutating: false } } },
  '/api/v1/pos/orders/by-ref/:shopOrderRef': { audience: 'pos', serves: { GET: { path: (tenant) => `/api/v1/pos/orders/by-ref/${encodeURIComponent(tenant.shopOrderRef)}`, scoped: true, mutating: false } } },
  '/api/v1/pos/payments': { audience: 'pos', serves: { GET: { path: () => '/api/v1/pos/payments?limit=100', scoped: false, mutating: false } } },
  '/api/v1/pos/payments/:paymentId': { audience: 'pos', serves: { GET: { path: (tenant) => `/api/v1/pos/payments/${tenant.paymentId}`, scoped: true, mutating: false } } },
  ...Object.fromEntries(
    (['capture', 'void', 'refunds'] as const).map((verb) => [
      `/api/v1/pos/payments/:paymentId/${verb}`,
      {
        audience: 'pos',
        serves: {
          POST: {
            path: (tenant: Tenant) => `/api/v1/pos/payments/${tenant.paymentId}/${verb}`,
            scoped: true,
            mutating: true,
            headers: idempotent,
            body: () => (verb === 'void' ? {} : { amount: 1 }),
            ownBody: () => ({ amount: -1 }),
            own: 'refused_by_domain',
          },
        },
      } satisfies ApiRouteSpec,
    ]),
  ),
};

/** What an actor gets from an API route, by the route's audience. */
function expectedForApi(spec: ApiRouteSpec, served: NonNullable<ApiRouteSpec['serves'][Method]>, actor: ActorName, target: 'own' | 'other' | 'none'): Outcome {
  if (served.everyone) return served.everyone(target);
  const isPos = actor === 'posA' || actor === 'posB';
  const isAcquirer = actor === 'acquirerX' || actor === 'acquirerY';
  if (spec.audience === 'pos' && !isPos) return 'unauthenticated';
  if (spec.audience === 'acquirer' && !isAcquirer) return 'unauthenticated';
  if (target === 'other') return 'not_found';
  return served.own ?? 'allowed';
}

function apiCells(): Cell[] {
  const cells: Cell[] = [];
  for (const [entry, spec] of Object.entries(apiRoutes)) {
    for (const method of METHODS) {
      const served = spec.serves[method];
      for (const actor of ACTORS) {
        if (!served) {
          const firstServed = Object.values(spec.serves)[0]!;
          cells.push({ entry, method, actor, target: 'none', expect: 'method_not_allowed', mutating: method !== 'GET', request: (world) => requestAs(world, actor, method, firstServed.path(world.tenants.A)) });
          continue;
        }
        const own = tenantOf[actor];
        // Tenant actors meet their own record and the other tenant's; the others meet A's.
        const targets: ('own' | 'other' | 'none')[] = served.scoped && own ? ['own', 'other'] : [own ? 'own' : 'none'];
        for (const target of targets) {
          const tenantName: TenantName = target === 'other' ? otherTenant(own!) : (own ?? 'A');
          const expected = expectedForApi(spec, served, actor, target);
          cells.push({
            entry,
            method,
            actor,
            target,
            expect: expected,
            mutating: served.mutating,
            public: spec.audience !== 'pos' && spec.audience !== 'acquirer',
            request: async (world) => {
              const tenant = world.tenants[tenantName];
              let body = target === 'own' && served.ownBody ? served.ownBody(tenant) : served.body?.(tenant);
              if (entry === '/api/checkout/:token/init') {
                // B's checkout link with a PInitReq for A's order: refused whoever sends it.
                body = { pinitReq: createPInitReq({ brand: 'VISA', orderRef: world.tenants.A.orderId }).raw };
                return requestAs(world, actor, method, `/api/checkout/${world.tenants.B.checkoutToken}/init`, { body });
              }
              return requestAs(world, actor, method, served.path(tenant), { ...(body === undefined ? {} : { body }), ...(served.headers ? { headers: served.headers() } : {}) });
            },
          });
        }
      }
    }
  }
  // The cardholder's own purchase through its own link is let through (the positive control of the swap above).
  cells.push({
    entry: '/api/checkout/:token/init',
    method: 'POST',
    actor: 'anonymous',
    target: 'own',
    expect: 'allowed',
    mutating: true,
    request: (world) => requestAs(world, 'anonymous', 'POST', `/api/checkout/${world.tenants.A.checkoutToken}/init`, { body: { pinitReq: createPInitReq({ brand: 'VISA', orderRef: world.tenants.A.orderId }).raw } }),
  });
  return cells;
}

// ---------------------------------------------------------------------------------------------------------
// The matrix: pages and exports.

interface PageSpec {
  /** Who may see it: a store's users (their own store only), the operator, or everyone. */
  audience: 'store' | 'any-store-user' | 'operator' | 'public';
  path: (tenant: Tenant, world: World) => string;
  /** For store pages with a record of their own in the path: the path with the own store and the other tenant's record. */
  swappedRecord?: (own: Tenant, other: Tenant) => string;
  /** A route handler (CSV export) rather than a page; it answers like the pages it belongs to. */
  isExport?: boolean;
}

const storePage = (suffix: string): PageSpec => ({ audience: 'store', path: (tenant) => `/console/stores/${tenant.storeId}${suffix}` });

const pages: Record<string, PageSpec> = {
  '/': { audience: 'public', path: () => '/' },
  '/login': { audience: 'public', path: () => '/login' },
  '/signup': { audience: 'public', path: () => '/signup' },
  '/signup/check-email': { audience: 'public', path: () => '/signup/check-email' },
  '/forgot-password': { audience: 'public', path: () => '/forgot-password' },
  '/reset-password': { audience: 'public', path: () => '/reset-password' },
  '/verify-email': { audience: 'public', path: () => '/verify-email' },
  '/docs/pos-api': { audience: 'public', path: () => '/docs/pos-api' },
  // The checkout page is the cardholder's: its link's token decides which order it shows, to anyone.
  '/checkout/:token': { audience: 'public', path: (tenant) => `/checkout/${tenant.checkoutToken}` },
  '/console': { audience: 'any-store-user', path: () => '/console' },
  '/console/stores/:storeId': storePage(''),
  '/console/stores/:storeId/affiliates': storePage('/affiliates'),
  '/console/stores/:storeId/audit': storePage('/audit'),
  '/console/stores/:storeId/certificates': storePage('/certificates'),
  '/console/stores/:storeId/contracts': storePage('/contracts'),
  '/console/stores/:storeId/payments': storePage('/payments'),
  '/console/stores/:storeId/payments/:paymentId': {
    audience: 'store',
    path: (tenant) => `/console/stores/${tenant.storeId}/payments/${tenant.paymentId}`,
    swappedRecord: (own, other) => `/console/stores/${own.storeId}/payments/${other.paymentId}`,
  },
  '/console/stores/:storeId/payments/export': { ...storePage('/payments/export'), isExport: true },
  '/console/stores/:storeId/poses': storePage('/poses'),
  '/console/stores/:storeId/security': storePage('/security'),
  '/console/stores/:storeId/settings': storePage('/settings'),
  '/console/stores/:storeId/settlements': storePage('/settlements'),
  '/console/stores/:storeId/statistics': storePage('/statistics'),
  '/console/stores/:storeId/statistics/export': { ...storePage('/statistics/export?from=2026-01-01&to=2026-12-31'), isExport: true },
  '/console/stores/:storeId/webhooks': storePage('/webhooks'),
  '/console/stores/:storeId/withdrawal': storePage('/withdrawal'),
  '/operator': { audience: 'operator', path: () => '/operator' },
  '/operator/acquirers': { audience: 'operator', path: () => '/operator/acquirers' },
  '/operator/acquirers/:acquirerId': { audience: 'operator', path: (_tenant, world) => `/operator/acquirers/${world.operatorAcquirerId}` },
  '/operator/audit': { audience: 'operator', path: () => '/operator/audit' },
  '/operator/certificates': { audience: 'operator', path: () => '/operator/certificates' },
  '/operator/connections': { audience: 'operator', path: () => '/operator/connections' },
  '/operator/notices': { audience: 'operator', path: () => '/operator/notices' },
  '/operator/statistics': { audience: 'operator', path: () => '/operator/statistics' },
  '/operator/statistics/export': { audience: 'operator', path: () => '/operator/statistics/export?from=2026-01-01&to=2026-12-31', isExport: true },
  '/operator/stores': { audience: 'operator', path: () => '/operator/stores' },
  '/operator/stores/:storeId': { audience: 'operator', path: (tenant) => `/operator/stores/${tenant.storeId}` },
};

const isOwner = (actor: ActorName) => actor === 'ownerA' || actor === 'ownerB';

function expectedForPage(spec: PageSpec, actor: ActorName, target: 'own' | 'other' | 'none'): Outcome {
  if (spec.audience === 'public') return 'allowed';
  const signedIn = isOwner(actor) || actor === 'operator';
  if (!signedIn) return 'sign_in';
  if (spec.audience === 'operator') return actor === 'operator' ? 'allowed' : 'not_found';
  if (actor === 'operator') return 'not_found';
  if (spec.audience === 'any-store-user') return 'allowed';
  return target === 'other' ? 'not_found' : 'allowed';
}

function pageCells(): Cell[] {
  const cells: Cell[] = [];
  for (const [entry, spec] of Object.entries(pages)) {
    for (const actor of ACTORS) {
      const own = isOwner(actor) ? tenantOf[actor] : undefined;
      const targets: ('own' | 'other' | 'none')[] = spec.audience === 'store' && own ? ['own', 'other'] : [own ? 'own' : 'none'];
      for (const target of targets) {
        const tenantName: TenantName = target === 'other' ? otherTenant(own!) : (own ?? 'A');
        cells.push({ entry, method: 'GET', actor, target, expect: expectedForPage(spec, actor, target), mutating: false, public: spec.audience === 'public', request: (world) => requestAs(world, actor, 'GET', spec.path(world.tenants[tenantName], world), { headers: { accept: 'text/html' } }) });
      }
      if (spec.swappedRecord && own) {
        // Own store in the path, the other tenant's record after it.
        cells.push({ entry: `${entry} (other tenant's record)`, method: 'GET', actor, target: 'other', expect: 'not_found', mutating: false, request: (world) => requestAs(world, actor, 'GET', spec.swappedRecord!(world.tenants[own], world.tenants[otherTenant(own)]), { headers: { accept: 'text/html' } }) });
      }
    }
  }
  return cells;
}

// ---------------------------------------------------------------------------------------------------------
// The matrix: server actions.

interface ActionSpec {
  audience: 'store' | 'operator' | 'public';
  /** The page whose form calls the action. */
  page: (tenant: Tenant) => string;
  /** A complete, valid form for `tenant`'s store. */
  fields: (tenant: Tenant, world: World) => Record<string, string>;
  /** The form with the own store and the other tenant's records, for actions that name records. */
  swappedRecord?: (own: Tenant, other: Tenant, world: World) => Record<string, string>;
  /** Arguments the page binds before the form state (`action.bind(null, storeId)`). */
  bound?: (tenant: Tenant) => unknown[];
  /** What the operator's own actions answer to the operator (they run with a form their domain refuses). */
  operatorOutcome?: Outcome;
}

const storeAction = (suffix: string, fields: (tenant: Tenant, world: World) => Record<string, string> = () => ({}), swappedRecord?: ActionSpec['swappedRecord']): ActionSpec => ({
  audience: 'store',
  page: (tenant) => `/console/stores/${tenant.storeId}${suffix}`,
  fields: (tenant, world) => ({ storeId: tenant.storeId, ...fields(tenant, world) }),
  ...(swappedRecord ? { swappedRecord } : {}),
});
const posForm = (extra: (tenant: Tenant) => Record<string, string>) => storeAction('/poses', (tenant) => ({ posId: tenant.posId, ...extra(tenant) }), (own, other) => ({ storeId: own.storeId, posId: other.posId, ...extra(other) }));
const certificateForm = (extra: Record<string, string> = {}) =>
  storeAction('/certificates', (tenant) => ({ posAcquirerId: tenant.posAcquirerId, ...extra }), (own, other) => ({ storeId: own.storeId, posAcquirerId: other.posAcquirerId, ...extra }));
const paymentForm = (extra: Record<string, string>) => ({
  ...storeAction('/payments', (tenant) => ({ paymentId: tenant.paymentId, ...extra }), (own, other) => ({ storeId: own.storeId, paymentId: other.paymentId, ...extra })),
  page: (tenant: Tenant) => `/console/stores/${tenant.storeId}/payments/${tenant.paymentId}`,
});
/**
 * The operator's own actions have no tenant to swap: the operator sends each an empty form (refused by its
 * validation) or the id of a record that does not exist (not found), so that nothing changes.
 */
const operatorAction = (page: string, fields: Record<string, string> = {}, operatorOutcome: Outcome = 'refused_by_domain'): ActionSpec => ({ audience: 'operator', page: () => page, fields: () => fields, operatorOutcome });
const publicAction = (page: string): ActionSpec => ({ audience: 'public', page: () => page, fields: () => ({}) });

const consoleDir = 'app/(console)/console/stores/[storeId]';
const operatorDir = 'app/(operator)/operator';
const actions: Record<string, ActionSpec> = {
  'app/(auth)/forgot-password/actions.ts#forgotPasswordAction': publicAction('/forgot-password'),
  'app/(auth)/reset-password/actions.ts#resetPasswordAction': publicAction('/reset-password'),
  'app/(auth)/signup/actions.ts#signUpAction': publicAction('/signup'),
  'app/(auth)/verify-email/actions.ts#verifyEmailAction': publicAction('/verify-email'),
  [`${consoleDir}/notice-actions.ts#dismissNoticeAction`]: storeAction('', (tenant) => ({ noticeId: tenant.noticeId }), (own, other) => ({ storeId: own.storeId, noticeId: other.noticeId })),
  [`${consoleDir}/affiliates/actions.ts#grantAffiliateAction`]: storeAction(
    '/affiliates',
    (tenant, world) => ({ posId: tenant.posId, affiliateStoreId: world.tenants[otherTenant(tenant.name)].storeId, maxAmount: '1000', dailyLimit: '5000', currency: 'JPY', brands: 'VISA', validFrom: '2026-01-01', validUntil: '2030-12-31' }),
    (own, other) => ({ storeId: own.storeId, posId: other.posId, affiliateStoreId: other.storeId, maxAmount: '1000', dailyLimit: '5000', currency: 'JPY', brands: 'VISA', validFrom: '2026-01-01', validUntil: '2030-12-31' }),
  ),
  [`${consoleDir}/affiliates/actions.ts#revokeAffiliateGrantAction`]: storeAction('/affiliates', () => ({ grantId: randomUUID(), confirm: 'on' })),
  [`${consoleDir}/certificates/actions.ts#registerPosAction`]: certificateForm({ acquisitionNumber: 'ACQ-NUMBER' }),
  [`${consoleDir}/certificates/actions.ts#renewPosAction`]: certificateForm(),
  [`${consoleDir}/certificates/actions.ts#deletePosCertificatesAction`]: certificateForm({ confirm: 'on' }),
  [`${consoleDir}/certificates/actions.ts#renewAllAction`]: storeAction('/certificates', (tenant) => ({ posId: tenant.posId }), (own, other) => ({ storeId: own.storeId, posId: other.posId })),
  [`${consoleDir}/certificates/actions.ts#retryRenewalAction`]: storeAction('/certificates', () => ({ runId: randomUUID() })),
  [`${consoleDir}/contracts/actions.ts#applyForContractAction`]: storeAction('/contracts', () => ({ acquirerCode: 'ACQ-BANK', merchantNumber: 'M-TAKEN-0001', pin: '4321' })),
  [`${consoleDir}/payments/[paymentId]/actions.ts#captureAction`]: paymentForm({ amount: '1' }),
  [`${consoleDir}/payments/[paymentId]/actions.ts#voidAction`]: paymentForm({}),
  [`${consoleDir}/payments/[paymentId]/actions.ts#refundAction`]: paymentForm({ amount: '1' }),
  [`${consoleDir}/webhooks/actions.ts#redeliverWebhookAction`]: storeAction(
    '/webhooks',
    (tenant) => ({ eventId: tenant.webhookEventId ?? randomUUID() }),
    (own, other) => ({ storeId: own.storeId, eventId: other.webhookEventId ?? randomUUID() }),
  ),
  [`${consoleDir}/poses/actions.ts#createPosAction`]: storeAction('/poses', () => ({ name: 'Taken over' })),
  [`${consoleDir}/poses/actions.ts#renamePosAction`]: posForm(() => ({ name: 'Taken over' })),
  [`${consoleDir}/poses/actions.ts#setPosStatusAction`]: posForm(() => ({ status: 'DISABLED' })),
  [`${consoleDir}/poses/actions.ts#setCaptureModeAction`]: posForm(() => ({ captureMode: 'DAILY_BATCH' })),
  [`${consoleDir}/poses/actions.ts#addPosAcquirerAction`]: posForm((tenant) => ({ contractId: tenant.contractId })),
  [`${consoleDir}/poses/actions.ts#removePosAcquirerAction`]: posForm((tenant) => ({ posAcquirerId: tenant.posAcquirerId })),
  [`${consoleDir}/poses/actions.ts#revokeApiKeyAction`]: posForm((tenant) => ({ apiKeyId: tenant.apiKeyId })),
  [`${consoleDir}/poses/actions.ts#apiKeyAction`]: posForm((tenant) => ({ intent: 'rotate', apiKeyId: tenant.apiKeyId, label: 'Taken over' })),
  [`${consoleDir}/poses/webhook-actions.ts#setWebhookUrlAction`]: posForm(() => ({ webhookUrl: 'https://attacker.example/hooks' })),
  [`${consoleDir}/security/actions.ts#suspendStoreAction`]: storeAction('/security', () => ({ reason: 'Taken over', confirm: 'on' })),
  [`${consoleDir}/security/actions.ts#resumeStoreAction`]: storeAction('/security', (tenant) => ({ password: tenant.login.password })),
  [`${consoleDir}/settings/actions.ts#updateStoreProfileAction`]: storeAction('/settings', () => ({ name: 'Taken over', contactEmail: 'attacker@example.test', certificateAlertDays: '30' })),
  [`${consoleDir}/settings/actions.ts#checkAcquirersAction`]: { ...storeAction('/settings'), fields: () => ({}), bound: (tenant) => [tenant.storeId] },
  [`${consoleDir}/settings/frame-origins-actions.ts#setCheckoutFrameOriginsAction`]: storeAction('/settings', () => ({ checkoutFrameOrigins: 'https://attacker.example' })),
  [`${consoleDir}/settings/recovery-pin-actions.ts#setRecoveryPinAction`]: storeAction('/settings', (tenant) => ({ contractId: tenant.contractId, pin: '4321', pinConfirmation: '4321', currentPassword: tenant.login.password })),
  [`${consoleDir}/settings/settlement-email-actions.ts#setSettlementEmailsAction`]: storeAction('/settings', () => ({ settlementEmails: 'off' })),
  [`${consoleDir}/settlements/actions.ts#sendCaptureBatchesAction`]: storeAction('/settlements'),
  [`${consoleDir}/withdrawal/actions.ts#withdrawAction`]: storeAction('/withdrawal', (tenant) => ({ password: tenant.login.password, scope: 'all', confirm: 'on' })),
  [`${operatorDir}/acquirers/actions.ts#createAcquirerAction`]: operatorAction('/operator/acquirers'),
  [`${operatorDir}/acquirers/actions.ts#updateAcquirerAction`]: operatorAction('/operator/acquirers', { acquirerId: randomUUID() }),
  [`${operatorDir}/acquirers/actions.ts#addBinRangeAction`]: operatorAction('/operator/acquirers'),
  [`${operatorDir}/acquirers/actions.ts#deleteBinRangeAction`]: operatorAction('/operator/acquirers', { binRangeId: randomUUID() }, 'not_found'),
  [`${operatorDir}/acquirers/actions.ts#credentialAction`]: operatorAction('/operator/acquirers', { intent: 'rotate', acquirerId: randomUUID(), credentialId: 'no-such-credential' }, 'not_found'),
  [`${operatorDir}/acquirers/actions.ts#revokeCredentialAction`]: operatorAction('/operator/acquirers', { acquirerId: randomUUID(), credentialId: 'no-such-credential', confirm: 'on' }, 'not_found'),
  [`${operatorDir}/connections/actions.ts#testConnectionAction`]: operatorAction('/operator/connections', { acquirerId: randomUUID() }, 'not_found'),
  // Runs a connection test of every acquirer (a row per acquirer): the operator's own, harmless, action.
  [`${operatorDir}/connections/actions.ts#testAllConnectionsAction`]: { ...operatorAction('/operator/connections'), operatorOutcome: 'reached' },
  [`${operatorDir}/notices/actions.ts#publishNoticeAction`]: operatorAction('/operator/notices'),
  [`${operatorDir}/notices/actions.ts#withdrawNoticeAction`]: operatorAction('/operator/notices', { noticeId: randomUUID() }, 'not_found'),
  [`${operatorDir}/stores/[storeId]/actions.ts#operatorSuspendStoreAction`]: { ...operatorAction('/operator/stores'), fields: (tenant) => ({ storeId: tenant.storeId, reason: '' }) },
  [`${operatorDir}/stores/[storeId]/actions.ts#operatorResumeStoreAction`]: { ...operatorAction('/operator/stores'), fields: (tenant) => ({ storeId: tenant.storeId }) },
};

function expectedForAction(spec: ActionSpec, actor: ActorName, target: 'own' | 'other' | 'none'): Outcome {
  if (spec.audience === 'public') return 'refused_by_domain';
  const signedIn = isOwner(actor) || actor === 'operator';
  if (!signedIn) return 'sign_in';
  if (spec.audience === 'operator') return actor === 'operator' ? (spec.operatorOutcome ?? 'reached') : 'not_found';
  if (actor === 'operator') return 'not_found';
  return target === 'other' ? 'not_found' : 'allowed';
}

function actionCells(manifestActions: ServerActionEntry[]): Cell[] {
  const cells: Cell[] = [];
  const idOf = new Map(manifestActions.map((action) => [`${action.file}#${action.exportedName}`, action.id]));
  for (const [entry, spec] of Object.entries(actions)) {
    for (const actor of ACTORS) {
      const own = isOwner(actor) ? tenantOf[actor] : undefined;
      // Store users act on their own store only with a form their domain refuses (nothing changes); the
      // refusals under test are the other store's id in the form, and the other tenant's records in an own-store form.
      const targets: ('other' | 'none')[] = spec.audience === 'store' && own ? ['other'] : ['none'];
      const send = (fields: (world: World) => Record<string, string>, bound?: (world: World) => unknown[]) => async (world: World) => {
        const actionId = idOf.get(entry);
        if (!actionId) throw new Error(`the build has no server action ${entry}`);
        const request = serverActionRequest({ appUrl: world.appUrl, pagePath: spec.page(world.tenants[own ?? 'A']), actionId, fields: fields(world), ...(bound ? { bound: bound(world) } : {}), ...(world.cookies[actor] ? { cookie: world.cookies[actor] } : {}) });
        withPosKey(world, actor, request.headers);
        return request;
      };
      for (const target of targets) {
        const tenantName: TenantName = target === 'other' ? otherTenant(own!) : 'A';
        cells.push({
          entry,
          method: 'POST',
          actor,
          target,
          expect: expectedForAction(spec, actor, target),
          mutating: true,
          request: send((world) => spec.fields(world.tenants[tenantName], world), spec.bound ? (world) => spec.bound!(world.tenants[tenantName]) : undefined),
        });
      }
      if (spec.swappedRecord && own) {
        cells.push({
          entry: `${entry} (other tenant's record)`,
          method: 'POST',
          actor,
          target: 'other',
          expect: 'not_found',
          mutating: true,
          request: send((world) => spec.swappedRecord!(world.tenants[own], world.tenants[otherTenant(own)], world)),
        });
      }
    }
  }
  return cells;
}

// ---------------------------------------------------------------------------------------------------------
// Answers.

/** The outcome of an answer; server actions answer 200 with their form state in React's stream. */
async function classify(response: Response): Promise<{ outcome: Outcome | `unexpected ${number}`; detail: string; body: string }> {
  const text = await response.text();
  const answer = (outcome: Outcome | `unexpected ${number}`) => ({ outcome, detail, body: text });
  const location = response.headers.get('location') ?? response.headers.get('x-action-redirect') ?? '';
  const detail = `${response.status} ${location} ${text.slice(0, 160).replaceAll('\n', ' ')}`;
  // The console's sign-in page, or next-auth's own when a sign-in came without its CSRF token.
  if (location.includes('/login') || location.includes('/api/auth/signin')) return answer('sign_in');
  if (response.status === 401) return answer('unauthenticated');
  if (response.status === 404) return answer('not_found');
  if (response.status === 405) return answer('method_not_allowed');
  if ((response.headers.get('content-type') ?? '').includes('text/x-component')) {
    const state = /"status":"(ok|error)"(?:,"code":"([a-z_]+)")?/.exec(text);
    if (state?.[1] === 'ok') return answer('allowed');
    // notFound() thrown in an action that its page does not render: the stream carries the error's digest.
    if (text.includes('NEXT_HTTP_ERROR_FALLBACK;404')) return answer('not_found');
    if (state?.[2] === 'not_found') return answer('not_found');
    if (state?.[2] === 'unauthenticated') return answer('unauthenticated');
    if (state?.[1] === 'error') return answer('refused_by_domain');
    return answer(`unexpected ${response.status}`);
  }
  // A page that sends its visitor on (the console's start page to the user's own store) let them through.
  if (response.status >= 200 && response.status < 400) return answer('allowed');
  if ([400, 402, 409, 410, 413, 415, 422].includes(response.status)) return answer('refused_by_domain');
  return answer(`unexpected ${response.status}`);
}

function matches(expected: Outcome, actual: string): boolean {
  if (expected === 'reached') return actual === 'allowed' || actual === 'refused_by_domain';
  return expected === actual;
}

/**
 * Bookkeeping a refused request may write, by table, and why. Everything else must be unchanged.
 * - AcquirerRequestNonce: every signed acquirer request's nonce is kept for replay protection once its
 *   signature checks out, whatever the request asks for (a replay of a refused request is refused too).
 * - AuditEvent rows `acquirer.api_request`: every acquirer API call whose certificate proved who sent it is
 *   audited, answered or refused (lib/http/with-acquirer-signature.ts) — the record of an attempt.
 * - IdempotencyRecord rows holding a 4xx answer: the caller's own key, under its own POS, keeps the answer it
 *   got so that a retry with the same key gets the same answer; nothing of the other tenant is touched.
 * - RateLimitCounter: attempts count toward the limits whether or not they are let through.
 * - AuthSession.lastSeenAt, PosApiKey.lastUsedAt, AcquirerApiCredential.lastUsedAt: the credential was
 *   used (it authenticated); the column says when, for idle timeouts and the console's "last used".
 */
const refusalBookkeeping: FingerprintExclusions = {
  ignoredTables: new Set(['"public"."AcquirerRequestNonce"', '"public"."RateLimitCounter"']),
  ignoredColumns: { '"public"."AuthSession"': ['lastSeenAt'], '"public"."PosApiKey"': ['lastUsedAt'], '"public"."AcquirerApiCredential"': ['lastUsedAt'] },
  ignoredRows: { '"public"."AuditEvent"': `action = 'acquirer.api_request'`, '"public"."IdempotencyRecord"': `"responseStatus" >= 400` },
};

// ---------------------------------------------------------------------------------------------------------

let cluster: Cluster;
let prisma: Db;
let world: World;
let database: pg.Client;
const http = recordingFetch();

/** The world of two tenants, as the demo seeds it, plus what the matrix needs of each. */
async function buildWorld(): Promise<World> {
  const simDataDir = cluster.simulators!.config.dataDir;
  const [loginA, loginB] = cluster.logins.stores;
  const acquirerIds = Object.fromEntries((await prisma.acquirer.findMany({ select: { id: true, code: true } })).map((row) => [row.code, row.id]));
  const tenant = async (name: TenantName, login: typeof loginA, acquirerCode: string, posApiKey: string | null): Promise<Tenant> => {
    const storeId = login!.storeId;
    const pos = await prisma.pos.findFirstOrThrow({ where: { storeId, name: 'Web shop' }, select: { id: true } });
    let apiKey = posApiKey;
    if (!apiKey) {
      const key = generatePosApiKey();
      await prisma.posApiKey.create({ data: { storeId, posId: pos.id, prefix: key.prefix, secretHash: key.secretHash, label: 'Tenant isolation' } });
      apiKey = key.apiKey;
    }
    const keyRow = await prisma.posApiKey.findFirstOrThrow({ where: { posId: pos.id, revokedAt: null }, orderBy: { createdAt: 'desc' }, select: { id: true } });
    const contract = await prisma.acquirerContract.findFirstOrThrow({ where: { storeId, acquirerId: acquirerIds[acquirerCode] }, select: { id: true, merchantNumber: true } });
    const posAcquirer = await prisma.posAcquirer.findFirstOrThrow({ where: { posId: pos.id }, select: { id: true } });
    const payment = await prisma.payment.findFirstOrThrow({ where: { storeId, posId: pos.id, status: 'AUTHORIZED' }, select: { id: true } }).catch(() => prisma.payment.findFirstOrThrow({ where: { storeId, posId: pos.id }, select: { id: true } }));
    // An open order of the tenant's POS, as its shop would register it (written straight to the database: B's
    // POS is not registered with an acquirer, so the POS API would not take one).
    const order = await prisma.order.create({
      data: {
        storeId,
        posId: pos.id,
        shopOrderRef: `ISO-${name}-${randomUUID()}`.slice(0, 40),
        amount: 640n,
        currency: 'JPY',
        lineItems: [{ name: 'Green tea', unitAmount: 640, quantity: 1 }],
        description: '1 × Green tea @ 640 JPY',
        successUrl: 'https://shop.example/thanks',
        failureUrl: 'https://shop.example/cart',
        checkoutToken: randomBytes(32).toString('base64url'),
        expiresAt: new Date(Date.now() + 3_600_000),
      },
      select: { id: true, shopOrderRef: true, checkoutToken: true },
    });
    const checkoutToken = order.checkoutToken;
    const webhookEvent = await prisma.webhookEvent.findFirst({ where: { storeId }, select: { id: true } });
    const notice = await prisma.notice.create({ data: { title: `For ${login!.storeName} only`, body: 'A notice addressed to one store.', storeId }, select: { id: true } });
    return {
      name,
      storeId,
      storeName: login!.storeName,
      login: { email: login!.email, password: login!.password },
      posId: pos.id,
      posApiKey: apiKey,
      apiKeyId: keyRow.id,
      paymentId: payment.id,
      orderId: order.id,
      shopOrderRef: order.shopOrderRef,
      checkoutToken,
      ownAcquirerMerchantNumber: contract.merchantNumber,
      contractId: contract.id,
      posAcquirerId: posAcquirer.id,
      webhookEventId: webhookEvent?.id ?? null,
      noticeId: notice.id,
    };
  };
  const acquirer = async (code: string) => {
    const credential = JSON.parse(readFileSync(credentialFilePath(simDataDir, code), 'utf8')) as { credentialId: string; secret: string };
    return { code, acquirerId: acquirerIds[code]!, ...credential, signer: (await readGatewayKeys(gatewayKeysPath(simDataDir, code))).signer };
  };
  const tenants = { A: await tenant('A', loginA, 'ACQ-JCB', cluster.shopApiKey), B: await tenant('B', loginB, 'ACQ-BANK', null) };
  const cookies = {
    ownerA: await signInOverHttp(cluster.appUrl, 'store', tenants.A.login, http),
    ownerB: await signInOverHttp(cluster.appUrl, 'store', tenants.B.login, http),
    operator: await signInOverHttp(cluster.appUrl, 'operator', cluster.logins.operator, http),
  };
  return { appUrl: cluster.appUrl, tenants, cookies, acquirers: { acquirerX: await acquirer('ACQ-JCB'), acquirerY: await acquirer('ACQ-BANK') }, operatorAcquirerId: acquirerIds['ACQ-CARD']! };
}

beforeAll(async () => {
  cluster = await startCluster({ name: 'isolation' });
  prisma = createPrismaClient(cluster.databaseUrl, 2);
  // The demo's contracts are enrolled by the worker at the simulated acquirers; wait until every one has its answer.
  const deadline = Date.now() + 120_000;
  while ((await prisma.acquirerContract.count({ where: { status: 'APPLIED' } })) > 0) {
    if (Date.now() > deadline) throw new Error('the demo contracts were not enrolled within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  world = await buildWorld();
  // Nothing but the requests under test may change the database: the worker (outbox, statistics, expiry jobs) stops.
  await cluster.kill('worker');
  database = new pg.Client({ connectionString: cluster.databaseUrl });
  await database.connect();
});

afterAll(async () => {
  await database?.end();
  await prisma?.$disconnect();
  await cluster?.stop();
});

describe('tenant isolation', () => {
  it('has a matrix entry for every route handler, page and server action there is', () => {
    const distDir = process.env.NEXT_DIST_DIR || '.next';
    const manifestFile = path.join(distDir, 'server', 'server-reference-manifest.json');
    expect(existsSync(manifestFile), manifestFile).toBe(true);
    const built = serverActionsOf(JSON.parse(readFileSync(manifestFile, 'utf8')) as Parameters<typeof serverActionsOf>[0]).map((action) => `${action.file}#${action.exportedName}`);
    const exports = Object.keys(pages).filter((entry) => pages[entry]!.isExport);
    expect([...Object.keys(apiRoutes), ...exports].sort()).toEqual(routeFiles);
    expect(Object.keys(pages).filter((entry) => !pages[entry]!.isExport).sort()).toEqual(pageFiles);
    expect(Object.keys(actions).sort()).toEqual([...new Set([...built, ...sourceActions()])].sort());
  });

  it('refuses every actor everything outside its tenant, and a refusal changes nothing', async () => {
    const manifest = JSON.parse(readFileSync(path.join(process.env.NEXT_DIST_DIR || '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as Parameters<typeof serverActionsOf>[0];
    const cells = [...apiCells(), ...pageCells(), ...actionCells(serverActionsOf(manifest))];
    // Refusals first (each fingerprinted), then the actors' own requests, so that nothing an own request
    // changes can hide a refusal's change.
    const ordered = [...cells.filter((cell) => REFUSALS.has(cell.expect)), ...cells.filter((cell) => !REFUSALS.has(cell.expect))];
    const mismatches: string[] = [];
    const changes: string[] = [];
    const started = Date.now();
    let before: DatabaseFingerprint | null = null;
    for (const cell of ordered) {
      const checksDatabase = REFUSALS.has(cell.expect) && cell.mutating;
      if (checksDatabase) before ??= await fingerprintDatabase(database, refusalBookkeeping);
      const response = await http(await cell.request(world));
      const { outcome, detail, body } = await classify(response);
      const label = `${cell.method} ${cell.entry} as ${cell.actor} (${cell.target})`;
      if (!matches(cell.expect, outcome)) mismatches.push(`${label}: expected ${cell.expect}, got ${outcome} — ${detail}`);
      // What a tenant's actor is shown of its own tenant names nothing of the other one.
      const own = tenantOf[cell.actor];
      if (own && cell.target === 'own' && outcome === 'allowed' && !cell.public) {
        const other = world.tenants[otherTenant(own)];
        const shown = [other.storeId, other.storeName, other.ownAcquirerMerchantNumber, other.paymentId, other.orderId, other.posId].filter((mark) => body.includes(mark));
        if (shown.length > 0) mismatches.push(`${label}: the answer names the other tenant's ${shown.join(', ')}`);
      }
      if (checksDatabase) {
        const after = await fingerprintDatabase(database, refusalBookkeeping);
        const changed = changedTables(before!, after);
        if (changed.length > 0) changes.push(`${label} changed ${changed.join(', ')}`);
        before = after;
      } else {
        before = null;
      }
    }
    const refusals = cells.filter((cell) => REFUSALS.has(cell.expect)).length;
    console.log(`tenant isolation matrix: ${cells.length} cells (${refusals} refusals, ${cells.length - refusals} own or public requests) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect({ mismatches, changes }).toEqual({ mismatches: [], changes: [] });
  });
});
