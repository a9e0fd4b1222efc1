/**
 * ServerPOS's client for the certificate authority: CertReq/CertRes for a
 * POS × acquirer, and revocation. The CA's root is fetched from CA_URL on
 * first use and kept for the life of the process (pinned: a different root
 * later is refused until restart); CRLs are refreshed before they go stale, so
 * the CertRes's chains are validated with revocation like any other party's.
 */
import '@/lib/crypto/use-native-crypto';
import { certificateToBase64, ChainValidator, InMemoryCrlStore, parseCertificate, parseCrl, type x509 } from '@/lib/pki';
import { createCertReq, generatePosKeys, openCertRes, recipientOf, isSetError, type CertReq, type IssuedPosKeys, type Party, type PendingKeys, type Recipient } from '@/lib/set';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { waitSpan } from '@/lib/observability/timing';

const TIMEOUT_MS = 15_000;
const CRL_REFRESH_MS = 60_000;

interface CaTrust {
  root: x509.X509Certificate;
  crls: InMemoryCrlStore;
  validator: ChainValidator;
  caService: Recipient;
  crlsFetchedAt: number;
  /** The CRLs as last published (base64 DER), for the checkout page's wallet. */
  publishedCrls: string[];
}

let trust: Promise<CaTrust> | undefined;

async function fetchCa(path: string, init?: RequestInit): Promise<Response> {
  try {
    return await waitSpan('ca', () => fetch(`${env().CA_URL}${path}`, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }));
  } catch {
    throw new AppError('upstream_unavailable', 'The certificate authority could not be reached. Try again in a moment.');
  }
}

async function fetchCaJson<T>(path: string): Promise<T> {
  const response = await fetchCa(path);
  if (!response.ok) throw new AppError('upstream_unavailable', `The certificate authority is not available (HTTP ${response.status}).`);
  return (await response.json()) as T;
}

async function refreshCrls(crls: InMemoryCrlStore): Promise<string[]> {
  const { crls: list } = await fetchCaJson<{ crls: string[] }>('/ca/crls');
  for (const crl of list) crls.put(parseCrl(new Uint8Array(Buffer.from(crl, 'base64'))));
  return list;
}

async function loadTrust(): Promise<CaTrust> {
  const published = await fetchCaJson<{ root: string; caService: { keyExchange: string[] } }>('/ca/certificates');
  const root = parseCertificate(published.root);
  const crls = new InMemoryCrlStore();
  const publishedCrls = await refreshCrls(crls);
  const validator = new ChainValidator({ trustAnchors: [root], crls });
  const caService = await recipientOf(await validator.validate(published.caService.keyExchange, { usage: 'keyExchange', roles: ['ca-service'] }));
  return { root, crls, validator, caService, crlsFetchedAt: Date.now(), publishedCrls };
}

/** The CA's trust material, loaded once (a failed load is retried on the next call). */
async function caTrust(): Promise<CaTrust> {
  trust ??= loadTrust().catch((error: unknown) => {
    trust = undefined;
    throw error;
  });
  const current = await trust;
  if (Date.now() - current.crlsFetchedAt > CRL_REFRESH_MS) {
    current.publishedCrls = await refreshCrls(current.crls);
    current.crlsFetchedAt = Date.now();
  }
  return current;
}

/** A Party that trusts the CA's root and its current CRLs (no replay cache: a CertRes is matched to its request). */
export async function caParty(): Promise<Party> {
  return { validator: (await caTrust()).validator };
}

/**
 * The root this process trusts and the CA's current CRLs, as base64 DER: what
 * the checkout page hands the wallet so that the browser validates the
 * merchant's and the gateway's chains against the same PKI as the app.
 */
export async function caTrustMaterial(): Promise<{ root: string; crls: string[] }> {
  const current = await caTrust();
  return { root: certificateToBase64(current.root), crls: [...current.publishedCrls] };
}

export interface CertificateRequest {
  acquirerCode: string;
  brand: string;
  merchantNumber: string;
  posId: string;
  acquisitionNumber: string;
  subject: { commonName: string; organization?: string };
  algorithm: PendingKeys['algorithm'];
}

export interface IssuedCertificates {
  keys: PendingKeys;
  issued: Required<Pick<IssuedPosKeys, 'signatureCertificate' | 'keyExchangeCertificate'>> & IssuedPosKeys;
  request: CertReq;
}

/**
 * Generates a fresh signature and key-exchange key pair (extractable, so that
 * they can be wrapped for storage) and asks the CA for their certificates.
 * Throws `upstream_refused` with the CA's reason (e.g. an acquisition number
 * the acquirer does not accept) or `upstream_unavailable`.
 */
export async function requestCertificates(input: CertificateRequest): Promise<IssuedCertificates> {
  const { caService } = await caTrust();
  const keys = await generatePosKeys(input.algorithm, true);
  const sent = await createCertReq({
    keys,
    acquisitionNumber: input.acquisitionNumber,
    requester: { acquirerId: input.acquirerCode, merchantNumber: input.merchantNumber, posId: input.posId, brand: input.brand },
    subject: input.subject,
    ca: caService,
  });
  const response = await fetchCa('/ca/cert-req', { method: 'POST', headers: { 'content-type': 'application/jose' }, body: sent.raw });
  if (response.status >= 500) throw new AppError('upstream_unavailable', `The certificate authority is not available (HTTP ${response.status}).`);
  if (!response.ok) throw new AppError('upstream_refused', 'The certificate authority could not read the certificate request.');
  let issued: IssuedPosKeys;
  try {
    issued = await openCertRes(await response.text(), { party: await caParty(), request: sent.message, keys });
  } catch (error) {
    if (isSetError(error)) throw new AppError('upstream_refused', `The certificate authority's answer did not verify (${error.code}).`);
    throw error;
  }
  if (issued.message.result.status !== 'approved' || !issued.signatureCertificate || !issued.keyExchangeCertificate) {
    const reason = issued.message.result.message?.en ?? issued.message.result.code;
    throw new AppError('upstream_refused', `The certificate authority refused: ${reason}`);
  }
  return { keys, issued: issued as IssuedCertificates['issued'], request: sent.message };
}

/** Asks the CA to revoke a certificate; a certificate the CA does not know counts as done. */
export async function revokeAtCa(serialNumber: string, reason: 'superseded' | 'cessationOfOperation' | 'keyCompromise'): Promise<void> {
  const response = await fetchCa('/ca/revocations', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env().PARTNER_SECRET}` },
    body: JSON.stringify({ serialNumber, reason }),
  });
  if (response.ok || response.status === 404) return;
  if (response.status >= 500) throw new AppError('upstream_unavailable', `The certificate authority is not available (HTTP ${response.status}).`);
  throw new AppError('upstream_refused', `The certificate authority refused the revocation (HTTP ${response.status}).`);
}
