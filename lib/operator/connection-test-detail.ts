import { z } from 'zod';

/**
 * What a connection test checked, step by step, as kept in AcquirerConnectionTest.detail: public facts only
 * (certificate subjects, serials and ends of validity, HTTP statuses, latencies, the POS whose keys signed),
 * never a key, a certificate acquisition number or a card number.
 */

/** The stable failure codes of a connection test (AcquirerConnectionTest.code). */
export const connectionTestCodes = [
  /** Connection refused, reset or timed out. */
  'gateway_unavailable',
  /** The gateway answered HTTP 5xx. */
  'gateway_error',
  /** A published chain did not validate to the pinned root (its lib/pki code is in the detail and the message). */
  'certificate_invalid',
  /** The answer's signature did not verify, or was made with another certificate than the one published. */
  'signature_invalid',
  /** Something other than the signed InqRes a fresh XID gets (an HTTP 4xx, a protocol Error, another state, not JSON). */
  'unexpected_answer',
  /** No POS is registered with this acquirer with usable certificates: nothing could sign the exchange. */
  'no_registered_pos',
  /** ServerPOS could not load the CA's root and revocation lists, so no certificate could be judged. */
  'trust_unavailable',
] as const;

export type ConnectionTestCode = (typeof connectionTestCodes)[number];

const certificateSchema = z.object({ subject: z.string(), serialNumber: z.string(), notAfter: z.string() });

const chainSchema = z.object({
  usage: z.enum(['signature', 'keyExchange']),
  ok: z.boolean(),
  /** The lib/pki code (or identity_mismatch, missing) when the chain did not validate. */
  code: z.string().optional(),
  message: z.string().optional(),
  /** Leaf first, each with its end of validity (ISO 8601). */
  certificates: z.array(certificateSchema),
});

export const connectionTestDetailSchema = z.object({
  certificates: z.object({
    url: z.string(),
    httpStatus: z.number().optional(),
    latencyMs: z.number().optional(),
    /** connection refused, timed out…, when no answer came. */
    error: z.string().optional(),
    chains: z.array(chainSchema),
  }),
  exchange: z.object({
    ran: z.boolean(),
    /** Why it did not run. */
    skipped: z.string().optional(),
    message: z.string().optional(),
    pos: z.object({ posId: z.string(), posName: z.string(), storeName: z.string(), merchantNumber: z.string() }).optional(),
    xid: z.string().optional(),
    httpStatus: z.number().optional(),
    latencyMs: z.number().optional(),
    /** The InqRes state (unknown, for an XID no payment has). */
    state: z.string().optional(),
    /** The protocol code when the exchange failed (a SET error code, the gateway's Error code). */
    code: z.string().optional(),
    signerSerialNumber: z.string().optional(),
  }),
});

export type ConnectionTestDetail = z.infer<typeof connectionTestDetailSchema>;
export type ChainDetail = z.infer<typeof chainSchema>;

/** A stored detail read back; older or foreign shapes read as null rather than break the page. */
export function readConnectionTestDetail(value: unknown): ConnectionTestDetail | null {
  const parsed = connectionTestDetailSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The soonest end of validity among the leaf certificates the test saw, with its chain's usage. */
export function soonestCertificateEnd(detail: ConnectionTestDetail | null): { usage: ChainDetail['usage']; notAfter: Date } | null {
  let soonest: { usage: ChainDetail['usage']; notAfter: Date } | null = null;
  for (const chain of detail?.certificates.chains ?? []) {
    const leaf = chain.certificates[0];
    if (!leaf) continue;
    const notAfter = new Date(leaf.notAfter);
    if (Number.isNaN(notAfter.getTime())) continue;
    if (!soonest || notAfter < soonest.notAfter) soonest = { usage: chain.usage, notAfter };
  }
  return soonest;
}
