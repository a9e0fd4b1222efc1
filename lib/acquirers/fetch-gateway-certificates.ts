import { isAppError } from '@/lib/errors';
import { checkGatewayCertificates, type GatewayCertificatesCheck } from '@/lib/payments/check-gateway-certificates';
import { isPkiError, parseCertificate, readIdentity } from '@/lib/pki';

const DAY_MS = 86_400_000;
const MAX_CHAIN_LENGTH = 10;

/** One certificate of a gateway's published chain, as the operator reads it. */
export interface GatewayCertificateView {
  subject: string;
  issuer: string;
  /** The SET role the certificate carries (gateway, gateway-ca, brand-ca, root…); null without a SET identity. */
  role: string | null;
  /** The acquirer the certificate names (gateway certificates only). */
  acquirerId: string | null;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Whole days until notAfter, rounded up; 0 or less once it has ended. */
  daysLeft: number;
}

export interface GatewayChainView {
  usage: 'signature' | 'keyExchange';
  /** Leaf first, as published. */
  certificates: GatewayCertificateView[];
  /** Entries of the chain that are not certificates at all. */
  unreadable: number;
  /** Whether the chain validates as a payment would check it (pinned root, CRLs, role, this acquirer); else why not. */
  validation: { ok: true } | { ok: false; code: string; message: string };
}

export type GatewayCertificatesResult =
  | { ok: true; url: string; chains: GatewayChainView[] }
  | { ok: false; url: string; problem: string };

const unreachable: Record<'connection refused' | 'timed out' | 'connection failed', string> = {
  'connection refused': 'The gateway cannot be reached.',
  'connection failed': 'The gateway cannot be reached.',
  'timed out': 'The gateway did not answer in time.',
};

/**
 * The operator's reading of an acquirer's gateway certificates: fetched and validated by the same check as
 * payments and connection tests (checkGatewayCertificates, nothing cached), then each certificate read for
 * display (subject, role, serial, validity, days left) with the chain's validation result. Whatever goes wrong —
 * unreachable, an HTTP error, not JSON, no chains, the CA's trust material unavailable — comes back as a problem
 * to show, never as an exception: the operator's page about the acquirer must render when its gateway is down.
 */
export async function fetchGatewayCertificates(options: { code: string; gatewayUrl: string; now?: Date; timeoutMs?: number }): Promise<GatewayCertificatesResult> {
  const url = `${options.gatewayUrl}/certificates`;
  const now = options.now ?? new Date();
  let checked: GatewayCertificatesCheck;
  try {
    checked = await checkGatewayCertificates({ code: options.code, gatewayUrl: options.gatewayUrl }, { timeoutMs: options.timeoutMs ?? 5_000 });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ok: false, url, problem: `The certificate authority’s trust material is unavailable, so nothing can be checked: ${error.message}` };
  }
  if (checked.kind === 'unreachable') return { ok: false, url, problem: unreachable[checked.reason] };
  if (checked.kind === 'http_error') return { ok: false, url, problem: `The gateway answered HTTP ${checked.httpStatus}.` };
  if (checked.kind === 'malformed') return { ok: false, url, problem: 'The gateway’s answer is not a certificate list.' };
  const chains: GatewayChainView[] = [];
  for (const [usage, chain] of [['signature', checked.signature], ['keyExchange', checked.keyExchange]] as const) {
    if (chain.x5c.length === 0) continue;
    chains.push({ ...readChain(usage, chain.x5c.slice(0, MAX_CHAIN_LENGTH), now), validation: chain.ok ? { ok: true } : { ok: false, code: chain.code, message: chain.message } });
  }
  if (chains.length === 0) return { ok: false, url, problem: 'The gateway published no certificate chain.' };
  return { ok: true, url, chains };
}

function readChain(usage: GatewayChainView['usage'], entries: string[], now: Date): Omit<GatewayChainView, 'validation'> {
  const certificates: GatewayCertificateView[] = [];
  let unreadable = 0;
  for (const entry of entries) {
    try {
      const certificate = parseCertificate(entry);
      let role: string | null = null;
      let acquirerId: string | null = null;
      try {
        const identity = readIdentity(certificate);
        role = identity.role;
        acquirerId = identity.acquirerId ?? null;
      } catch (error) {
        if (!isPkiError(error)) throw error;
      }
      certificates.push({
        subject: certificate.subject,
        issuer: certificate.issuer,
        role,
        acquirerId,
        serialNumber: certificate.serialNumber,
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
        daysLeft: Math.ceil((certificate.notAfter.getTime() - now.getTime()) / DAY_MS) || 0,
      });
    } catch (error) {
      if (!isPkiError(error)) throw error;
      unreadable += 1;
    }
  }
  return { usage, certificates, unreadable };
}
