/**
 * ServerPOS's client for an acquirer's merchant registry (enrolment,
 * acquisition numbers, store information, withdrawal). Institution-to-
 * institution calls carry the partner credential (PARTNER_SECRET). Every
 * failure becomes an AppError: `upstream_unavailable` when the acquirer could
 * not be reached or failed (worth retrying), `upstream_refused` when it
 * answered no — never the acquirer's raw body.
 */
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';

export interface RegistryAcquirer {
  code: string;
  name: string;
  registryUrl: string | null;
}

/** The store information an acquirer keeps, with the version that orders changes. */
export interface AcquirerStoreInfo {
  version: number;
  name: string;
  status?: string;
  contactEmail?: string;
  phone?: string;
  postalAddress?: string;
  websiteUrl?: string;
}

export type ApplicationAnswer =
  | { status: 'verified'; acquisitionNumber: string; info: AcquirerStoreInfo }
  | { status: 'rejected'; code: string; reason: string };

const TIMEOUT_MS = 10_000;

/** Thrown for a refusal; `upstreamCode` is the acquirer's own code (e.g. `not_found`). */
export class RegistryRefusal extends AppError {
  constructor(
    readonly upstreamCode: string,
    message: string,
    readonly httpStatus: number,
  ) {
    super('upstream_refused', message);
  }
}

async function call<T>(acquirer: RegistryAcquirer, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T> {
  if (!acquirer.registryUrl) throw new AppError('upstream_unavailable', `${acquirer.name} has no registry address configured.`);
  let response: Response;
  try {
    response = await fetch(`${acquirer.registryUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env().PARTNER_SECRET}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new AppError('upstream_unavailable', `${acquirer.name} could not be reached. Try again in a moment.`);
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new AppError('upstream_unavailable', `${acquirer.name} sent an answer that could not be read.`);
  }
  if (response.status >= 500) throw new AppError('upstream_unavailable', `${acquirer.name} is not available (HTTP ${response.status}). Try again in a moment.`);
  if (!response.ok) {
    const error = (json as { error?: { code?: unknown; message?: unknown } }).error;
    const code = typeof error?.code === 'string' ? error.code.slice(0, 60) : `http_${response.status}`;
    const message = typeof error?.message === 'string' ? error.message.slice(0, 300) : `HTTP ${response.status}`;
    throw new RegistryRefusal(code, `${acquirer.name} refused: ${message}`, response.status);
  }
  return json as T;
}

const merchantPath = (merchantNumber: string) => `/merchants/${encodeURIComponent(merchantNumber)}`;

/** Forwards a store's application; the acquirer verifies it against its contract. */
export function applyAtAcquirer(acquirer: RegistryAcquirer, application: { merchantNumber: string; storeName: string; contactEmail?: string }): Promise<ApplicationAnswer> {
  return call<ApplicationAnswer>(acquirer, 'POST', '/applications', application);
}

/** A further one-time certificate acquisition number (another POS, a renewal). */
export async function requestAcquisitionNumber(acquirer: RegistryAcquirer, merchantNumber: string): Promise<string> {
  const answer = await call<{ acquisitionNumber: string }>(acquirer, 'POST', `${merchantPath(merchantNumber)}/acquisition-numbers`);
  return answer.acquisitionNumber;
}

/** The acquirer's copy of the store information (the pull). */
export function fetchStoreInfo(acquirer: RegistryAcquirer, merchantNumber: string): Promise<{ merchantNumber: string; status: string; info: AcquirerStoreInfo }> {
  return call(acquirer, 'GET', merchantPath(merchantNumber));
}

/** Confirms the store's withdrawal from this acquirer. */
export function confirmWithdrawalAtAcquirer(acquirer: RegistryAcquirer, merchantNumber: string): Promise<{ status: 'withdrawn'; info: AcquirerStoreInfo }> {
  return call(acquirer, 'POST', `${merchantPath(merchantNumber)}/withdrawal`);
}

/** Sends ServerPOS's store information; the acquirer keeps it when the version is newer than its own. */
export function pushStoreInfo(acquirer: RegistryAcquirer, merchantNumber: string, info: AcquirerStoreInfo): Promise<{ status: 'accepted' | 'stale'; info: AcquirerStoreInfo }> {
  return call(acquirer, 'PUT', `${merchantPath(merchantNumber)}/info`, info);
}
