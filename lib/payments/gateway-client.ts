import '@/lib/crypto/use-native-crypto';
import { AppError } from '@/lib/errors';
import { checkGatewayCertificates } from '@/lib/payments/check-gateway-certificates';
import { recipientOf, type Recipient } from '@/lib/set';
import { waitSpan } from '@/lib/observability/timing';

/** An acquirer's payment gateway, as ServerPOS reaches it. */
export interface GatewayAcquirer {
  code: string;
  name: string;
  gatewayUrl: string;
}

export interface GatewayCertificates {
  /** The gateway's key-exchange chain, for the wallet to seal PI to and for AuthReq. */
  keyExchange: string[];
  recipient: Recipient;
}

const CERTIFICATES_TTL_MS = 5 * 60_000;
const certificates = new Map<string, { at: number; value: Promise<GatewayCertificates> }>();

/**
 * The gateway's published key-exchange certificate, validated like any peer's (chain to the CA root, CRLs,
 * role gateway) and checked to belong to this acquirer. Kept for a few minutes.
 */
export async function gatewayCertificates(acquirer: GatewayAcquirer): Promise<GatewayCertificates> {
  const cached = certificates.get(acquirer.code);
  if (cached && Date.now() - cached.at < CERTIFICATES_TTL_MS) return cached.value;
  const value = (async () => {
    const checked = await checkGatewayCertificates(acquirer, { timeoutMs: 10_000 });
    if (checked.kind !== 'published') throw new AppError('upstream_unavailable', `${acquirer.name} cannot be reached right now. Try again in a moment.`);
    const keyExchange = checked.keyExchange;
    if (keyExchange.ok) return { keyExchange: keyExchange.x5c, recipient: await recipientOf(keyExchange.validated) };
    if (keyExchange.code === 'missing') throw new AppError('upstream_unavailable', `${acquirer.name} published no usable certificate.`);
    if (keyExchange.code === 'identity_mismatch') throw new AppError('upstream_unavailable', `${acquirer.name}'s certificate names another acquirer.`);
    throw new AppError('upstream_unavailable', `${acquirer.name}'s certificate does not verify.`);
  })();
  value.catch(() => certificates.delete(acquirer.code));
  certificates.set(acquirer.code, { at: Date.now(), value });
  return value;
}

/** How a request to a gateway ended, as far as ServerPOS can tell. */
export type GatewayOutcome =
  | { kind: 'answered'; raw: string; latencyMs: number; httpStatus?: number }
  /** Refused before processing (connection refused, 503): nothing happened at the gateway. */
  | { kind: 'not_sent'; reason: string; latencyMs: number; httpStatus?: number }
  /** Timed out or the connection dropped after the request went out: the gateway may have acted. */
  | { kind: 'unknown'; reason: string; latencyMs: number; httpStatus?: number }
  /** The gateway could not open the request (HTTP 4xx with an error body). */
  | { kind: 'refused'; code: string; message: string; latencyMs: number; httpStatus?: number };

/** POSTs a sealed SET request to the gateway and says what became of it. */
export async function sendToGateway(acquirer: GatewayAcquirer, raw: string, timeoutMs: number): Promise<GatewayOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  let response: Response;
  try {
    response = await waitSpan('gateway', () => fetch(acquirer.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/jose' }, body: raw, signal: AbortSignal.timeout(timeoutMs) }));
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    if (cause === 'ECONNREFUSED') return { kind: 'not_sent', reason: 'connection refused', latencyMs: latency() };
    return { kind: 'unknown', reason: (error as Error).name === 'TimeoutError' ? 'timed out' : 'connection dropped', latencyMs: latency() };
  }
  let text: string;
  try {
    text = await waitSpan('gateway', () => response.text());
  } catch {
    return { kind: 'unknown', reason: 'connection dropped', latencyMs: latency() };
  }
  if (response.status === 503) return { kind: 'not_sent', reason: 'gateway unavailable', latencyMs: latency(), httpStatus: 503 };
  if (response.status >= 500) return { kind: 'unknown', reason: `HTTP ${response.status}`, latencyMs: latency(), httpStatus: response.status };
  if (!response.ok) {
    let code = `http_${response.status}`;
    let message = `HTTP ${response.status}`;
    try {
      const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
      code = String(body.error?.code ?? code).slice(0, 60);
      message = String(body.error?.message ?? message).slice(0, 300);
    } catch {
      // not JSON: keep the status
    }
    return { kind: 'refused', code, message, latencyMs: latency(), httpStatus: response.status };
  }
  return { kind: 'answered', raw: text, latencyMs: latency(), httpStatus: response.status };
}
