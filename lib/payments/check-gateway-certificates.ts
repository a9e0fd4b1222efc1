import '@/lib/crypto/use-native-crypto';
import { caParty } from '@/lib/certificates/ca-client';
import { isPkiError, parseCertificate, type ValidatedCertificate } from '@/lib/pki';
import { waitSpan } from '@/lib/observability/timing';

/** One certificate of a published chain, as shown to the operator: nothing secret. */
export interface CertificateSummary {
  subject: string;
  serialNumber: string;
  notAfter: Date;
}

/** One of the gateway's two chains, checked with the pinned-root validator. */
export type GatewayChainCheck =
  | { ok: true; x5c: string[]; certificates: CertificateSummary[]; validated: ValidatedCertificate }
  /** `code` is the lib/pki code, `identity_mismatch` for another acquirer's certificate, or `missing` when none was published. */
  | { ok: false; x5c: string[]; certificates: CertificateSummary[]; code: string; message: string };

/** What fetching the gateway's published certificates came to. */
export type GatewayCertificatesCheck =
  | { kind: 'unreachable'; reason: 'connection refused' | 'timed out' | 'connection failed'; latencyMs: number }
  | { kind: 'http_error'; httpStatus: number; latencyMs: number }
  | { kind: 'malformed'; httpStatus: number; latencyMs: number }
  | { kind: 'published'; httpStatus: number; latencyMs: number; signature: GatewayChainCheck; keyExchange: GatewayChainCheck };

const isChain = (value: unknown): value is string[] => Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string');

function summaries(x5c: string[]): CertificateSummary[] {
  const list: CertificateSummary[] = [];
  for (const entry of x5c) {
    try {
      const certificate = parseCertificate(entry);
      list.push({ subject: certificate.subject, serialNumber: certificate.serialNumber, notAfter: certificate.notAfter });
    } catch {
      // The validator names the malformed certificate; the summary lists the ones that parse.
    }
  }
  return list;
}

/**
 * GETs `<gatewayUrl>/certificates` and validates both published chains (signature and key exchange) like any
 * peer's: to the CA's pinned root, with CRLs, the leaf's usage, role gateway, and this acquirer's code. Gateway
 * problems are answered, not thrown; only the CA's own trust material being unavailable throws (an AppError),
 * since then nothing about the gateway can be told.
 */
export async function checkGatewayCertificates(acquirer: { code: string; gatewayUrl: string }, options: { timeoutMs: number }): Promise<GatewayCertificatesCheck> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let response: Response;
  let published: unknown;
  try {
    response = await waitSpan('gateway', () => fetch(`${acquirer.gatewayUrl}/certificates`, { signal: AbortSignal.timeout(options.timeoutMs) }));
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason = cause === 'ECONNREFUSED' ? 'connection refused' : (error as Error).name === 'TimeoutError' ? 'timed out' : 'connection failed';
    return { kind: 'unreachable', reason, latencyMs: latency() };
  }
  try {
    if (!response.ok) {
      await response.body?.cancel();
      return { kind: 'http_error', httpStatus: response.status, latencyMs: latency() };
    }
    published = await response.json();
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { kind: 'unreachable', reason: 'timed out', latencyMs: latency() };
    return { kind: 'malformed', httpStatus: response.status, latencyMs: latency() };
  }
  const latencyMs = latency();
  if (!published || typeof published !== 'object') return { kind: 'malformed', httpStatus: response.status, latencyMs };
  const { validator } = await caParty();
  const check = async (x5c: unknown, usage: 'signature' | 'keyExchange'): Promise<GatewayChainCheck> => {
    if (!isChain(x5c)) return { ok: false, x5c: [], certificates: [], code: 'missing', message: `No ${usage === 'signature' ? 'signature' : 'key-exchange'} certificate chain was published.` };
    const certificates = summaries(x5c);
    try {
      const validated = await validator.validate(x5c, { usage, roles: ['gateway'] });
      if (validated.identity.acquirerId !== acquirer.code) return { ok: false, x5c, certificates, code: 'identity_mismatch', message: 'The certificate names another acquirer.' };
      return { ok: true, x5c, certificates, validated };
    } catch (error) {
      if (isPkiError(error)) return { ok: false, x5c, certificates, code: error.code, message: error.message };
      throw error;
    }
  };
  const body = published as { signature?: unknown; keyExchange?: unknown };
  const [signature, keyExchange] = await Promise.all([check(body.signature, 'signature'), check(body.keyExchange, 'keyExchange')]);
  return { kind: 'published', httpStatus: response.status, latencyMs, signature, keyExchange };
}
