import { caParty } from '@/lib/certificates/ca-client';
import { AppError } from '@/lib/errors';
import { gatewayCertificates, sendToGateway, type GatewayAcquirer, type GatewayOutcome } from '@/lib/payments/gateway-client';
import { loadMerchantKeys } from '@/lib/payments/load-merchant-keys';
import type { ValidatedCertificate } from '@/lib/pki';
import { createGatewayRequest, isSetError, openGatewayResponse, type GatewayRequestBody, type GatewayRequestType, type MessageOf, type Recipient, type ResponseTo } from '@/lib/set';

/** Gateway requests after the authorisation (capture, reversal, credit, inquiry) wait this long for an answer. */
export const FOLLOW_UP_TIMEOUT_MS = 15_000;

export type GatewayCall<K extends GatewayRequestType> =
  /** `signer` is the gateway certificate the answer was signed with, validated to the pinned root. */
  | { kind: 'answer'; message: ResponseTo<K>; latencyMs: number; signer: ValidatedCertificate; httpStatus?: number }
  | { kind: 'error'; code: string; message: string; latencyMs: number; signer: ValidatedCertificate; httpStatus?: number }
  | { kind: 'no_answer'; outcome: Exclude<GatewayOutcome, { kind: 'answered' }> | { kind: 'unverified'; code: string; latencyMs: number; httpStatus?: number } };

/**
 * One signed and sealed request from a POS × acquirer to its gateway, and its
 * verified answer. `rrpid` makes a retry the same request to the gateway, which
 * then answers it from its ledger instead of acting twice. `gateway` seals to
 * certificates the caller has just fetched and checked instead of the cached ones.
 */
export async function callGateway<K extends GatewayRequestType>(
  link: { posAcquirerId: string; acquirer: GatewayAcquirer },
  type: K,
  body: GatewayRequestBody<K>,
  options: { rrpid?: string; timeoutMs?: number; gateway?: Recipient } = {},
): Promise<GatewayCall<K>> {
  const { keys } = await loadMerchantKeys(link.posAcquirerId).catch((error: unknown) => {
    // A follow-up for money already promised may use a certificate that has since expired only if it is still held.
    throw error instanceof AppError ? error : new AppError('certificate_unavailable', 'The POS keys for this acquirer cannot be used.');
  });
  const gateway = options.gateway ?? (await gatewayCertificates(link.acquirer)).recipient;
  const request = await createGatewayRequest(type, body, { merchant: keys, gateway, ...(options.rrpid ? { rrpid: options.rrpid } : {}) });
  const outcome = await sendToGateway(link.acquirer, request.raw, options.timeoutMs ?? FOLLOW_UP_TIMEOUT_MS);
  if (outcome.kind !== 'answered') return { kind: 'no_answer', outcome };
  try {
    const answer = await openGatewayResponse<K>(outcome.raw, { party: await caParty(), merchant: keys, request: request.message as MessageOf<K> });
    if (answer.message.msg === 'Error') {
      const error = answer.message as MessageOf<'Error'>;
      return { kind: 'error', code: error.code, message: error.message, latencyMs: outcome.latencyMs, signer: answer.gateway, httpStatus: outcome.httpStatus };
    }
    return { kind: 'answer', message: answer.message as ResponseTo<K>, latencyMs: outcome.latencyMs, signer: answer.gateway, httpStatus: outcome.httpStatus };
  } catch (error) {
    if (isSetError(error)) return { kind: 'no_answer', outcome: { kind: 'unverified', code: error.code, latencyMs: outcome.latencyMs, httpStatus: outcome.httpStatus } };
    throw error;
  }
}
