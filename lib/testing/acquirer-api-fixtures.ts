import { randomUUID } from 'node:crypto';
import * as enrolment from '@/app/api/v1/acquirer/stores/[merchantNumber]/enrolment/route';
import * as info from '@/app/api/v1/acquirer/stores/[merchantNumber]/info/route';
import * as store from '@/app/api/v1/acquirer/stores/[merchantNumber]/route';
import * as suspension from '@/app/api/v1/acquirer/stores/[merchantNumber]/suspension/route';
import * as withdrawal from '@/app/api/v1/acquirer/stores/[merchantNumber]/withdrawal/route';
import * as openapi from '@/app/api/v1/acquirer/openapi.json/route';
import * as settlementReport from '@/app/api/v1/acquirer/reports/settlement/route';
import * as stores from '@/app/api/v1/acquirer/stores/route';
import { signAcquirerRequest } from '@/lib/acquirers/request-signature';
import { issueApiCredential } from '@/lib/acquirers/issue-api-credential';
import { db } from '@/lib/db/client';
import type { ContractStatus, StoreStatus } from '@/lib/db/generated/prisma/enums';
import type { Signer } from '@/lib/set';
import { createStoreWithOwner } from '@/lib/testing/fixtures';
import { routeTableFetch, type RouteTable } from '@/lib/testing/route-table-fetch';
import type { SimWorld } from '@/lib/testing/sim-world';
import { gatewayKeysPath, readGatewayKeys } from '@/sim/acquirer/keys-file';

/** The acquirer API's route files by path pattern, as Next.js routes them (`:name` is one path segment). */
export const acquirerApiRoutes: RouteTable = [
  ['/api/v1/acquirer/openapi.json', openapi],
  ['/api/v1/acquirer/stores', stores],
  ['/api/v1/acquirer/stores/:merchantNumber', store],
  ['/api/v1/acquirer/stores/:merchantNumber/suspension', suspension],
  ['/api/v1/acquirer/stores/:merchantNumber/info', info],
  ['/api/v1/acquirer/stores/:merchantNumber/enrolment', enrolment],
  ['/api/v1/acquirer/stores/:merchantNumber/withdrawal', withdrawal],
  ['/api/v1/acquirer/reports/settlement', settlementReport],
];

/**
 * A `fetch` that hands requests for `/api/v1/acquirer/…` to the real route handlers in this process, and
 * every other request (the acquirer simulators' admin API) to the network: for integration tests of the
 * acquirer API and its CLI without a running Next.js server. Only the HTTP hop to ServerPOS is skipped.
 */
export function acquirerApiRouteFetch(): typeof fetch {
  return routeTableFetch(acquirerApiRoutes, (pathname) => pathname.startsWith('/api/v1/acquirer/'));
}

/** The gateway signature key the acquirer simulator enrolled with the CA (its keys file). */
export async function gatewaySigner(world: SimWorld, acquirerCode: string): Promise<Signer> {
  return (await readGatewayKeys(gatewayKeysPath(world.sims.config.dataDir, acquirerCode))).signer;
}

export interface AcquirerClient {
  code: string;
  acquirerId: string;
  signer: Signer;
  credentialId: string;
  secret: string;
}

/** An acquirer of the world with a fresh API credential issued by the operator, ready to sign requests. */
export async function acquirerClient(world: SimWorld, acquirerCode: string): Promise<AcquirerClient> {
  const acquirerId = world.acquirerIds[acquirerCode]!;
  const issued = await issueApiCredential({ actor: { type: 'OPERATOR', id: null }, acquirerId, label: `test ${randomUUID().slice(0, 6)}` });
  return { code: acquirerCode, acquirerId, signer: await gatewaySigner(world, acquirerCode), credentialId: issued.credentialId, secret: issued.secret };
}

/** The signed request an acquirer would send; `tamper` changes it after signing. */
export async function signedRequest(
  client: AcquirerClient,
  method: string,
  path: string,
  options: { body?: string; now?: Date; credentialId?: string; secret?: string; contentType?: string | null; headers?: Record<string, string> } = {},
): Promise<Request> {
  const url = `http://localhost${path}`;
  const body = options.body ?? '';
  const signature = await signAcquirerRequest({
    method,
    url,
    body,
    credentialId: options.credentialId ?? client.credentialId,
    credentialSecret: options.secret ?? client.secret,
    signer: client.signer,
    ...(options.now ? { now: options.now } : {}),
  });
  const headers: Record<string, string> = { accept: 'application/json', ...signature, ...options.headers };
  const contentType = options.contentType === undefined ? (body ? 'application/json' : null) : options.contentType;
  if (contentType) headers['content-type'] = contentType;
  return new Request(url, { method, headers, ...(body ? { body } : {}) });
}

/** Sends a request through the real route handlers; answers status and parsed body. */
export async function send(request: Request): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  const response = await acquirerApiRouteFetch()(request);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as { error?: { code: string; message: string } }) : {} };
}

/** Signs and sends in one step. */
export async function call(client: AcquirerClient, method: string, path: string, body?: unknown) {
  return send(await signedRequest(client, method, path, body === undefined ? {} : { body: JSON.stringify(body) }));
}

/**
 * A store holding a contract with each of the given acquirers (written straight to the database; no
 * registry, no certificates), under fresh merchant numbers.
 */
export async function storeContractedWith(acquirerIds: string[], options: { storeStatus?: StoreStatus; contractStatus?: ContractStatus } = {}) {
  const owner = await createStoreWithOwner({ status: options.storeStatus ?? 'ACTIVE' });
  const merchantNumbers: string[] = [];
  for (const acquirerId of acquirerIds) {
    const merchantNumber = `T-${randomUUID().slice(0, 13).toUpperCase()}`;
    const status = options.contractStatus ?? 'VERIFIED';
    await db().acquirerContract.create({
      data: { storeId: owner.storeId, acquirerId, merchantNumber, status, ...(status === 'VERIFIED' ? { verifiedAt: new Date() } : {}), ...(status === 'WITHDRAWING' ? { verifiedAt: new Date(), withdrawalRequestedAt: new Date() } : {}) },
    });
    merchantNumbers.push(merchantNumber);
  }
  return { ...owner, merchantNumbers };
}

export const storePath = (merchantNumber: string, rest = '') => `/api/v1/acquirer/stores/${encodeURIComponent(merchantNumber)}${rest}`;
