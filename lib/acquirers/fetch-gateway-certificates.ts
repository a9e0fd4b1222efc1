import { isPkiError, parseCertificate, readIdentity } from '@/lib/pki';

const DAY_MS = 86_400_000;
const MAX_BODY_CHARS = 512 * 1024;
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
}

export type GatewayCertificatesResult =
  | { ok: true; url: string; chains: GatewayChainView[] }
  | { ok: false; url: string; problem: string };

/**
 * Fetches an acquirer's gateway certificate chains (`<gatewayUrl>/certificates`, as merchants fetch them) and
 * reads them for display: subject, role, serial, validity. Nothing is trusted or cached here (payments validate
 * the chain themselves, see lib/payments/gateway-client.ts). Whatever goes wrong — unreachable, an HTTP error,
 * not JSON, no chains — comes back as a problem to show, never as an exception: the operator's page about the
 * acquirer must render when its gateway is down.
 */
export async function fetchGatewayCertificates(options: { gatewayUrl: string; now?: Date; timeoutMs?: number }): Promise<GatewayCertificatesResult> {
  const url = `${options.gatewayUrl}/certificates`;
  const now = options.now ?? new Date();
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 5_000), redirect: 'error', headers: { accept: 'application/json' } });
    if (!response.ok) return { ok: false, url, problem: `The gateway answered HTTP ${response.status}.` };
    const text = await response.text();
    if (text.length > MAX_BODY_CHARS) return { ok: false, url, problem: 'The gateway’s answer is too large to be a certificate list.' };
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, url, problem: 'The gateway’s answer is not JSON.' };
    }
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return { ok: false, url, problem: timedOut ? 'The gateway did not answer in time.' : 'The gateway cannot be reached.' };
  }
  const published = (body ?? {}) as { signature?: unknown; keyExchange?: unknown };
  const chains: GatewayChainView[] = [];
  for (const usage of ['signature', 'keyExchange'] as const) {
    const entries = published[usage];
    if (!Array.isArray(entries) || entries.length === 0) continue;
    chains.push(readChain(usage, entries.slice(0, MAX_CHAIN_LENGTH), now));
  }
  if (chains.length === 0) return { ok: false, url, problem: 'The gateway published no certificate chain.' };
  return { ok: true, url, chains };
}

function readChain(usage: GatewayChainView['usage'], entries: unknown[], now: Date): GatewayChainView {
  const certificates: GatewayCertificateView[] = [];
  let unreadable = 0;
  for (const entry of entries) {
    if (typeof entry !== 'string') {
      unreadable += 1;
      continue;
    }
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
