import '@/lib/crypto/use-native-crypto';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Prisma } from '@/lib/db/client';
import type { ConnectionTestTrigger } from '@/lib/db/generated/prisma/enums';
import { env } from '@/lib/env';
import { AppError, isAppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import type { ConnectionTestCode, ConnectionTestDetail } from '@/lib/operator/connection-test-detail';
import { callGateway } from '@/lib/payments/call-gateway';
import { checkGatewayCertificates, type GatewayChainCheck } from '@/lib/payments/check-gateway-certificates';
import { loadMerchantKeys } from '@/lib/payments/load-merchant-keys';
import { randomId, recipientOf } from '@/lib/set';
import { isUuid } from '@/lib/validation';

export interface RunConnectionTestOptions {
  acquirerId: string;
  trigger: ConnectionTestTrigger;
  /** The operator who asked (on-demand runs); scheduled runs have none. */
  operatorUserId?: string;
  /** How long each step waits for the gateway (default GATEWAY_TIMEOUT_MS: the patience an authorisation has). */
  timeoutMs?: number;
  origin?: RequestOrigin | null;
}

export interface ConnectionTestRecord {
  id: string;
  acquirerId: string;
  trigger: ConnectionTestTrigger;
  ok: boolean;
  code: string | null;
  message: string | null;
  latencyMs: number | null;
  detail: ConnectionTestDetail;
  startedAt: Date;
}

interface Failure {
  code: ConnectionTestCode;
  message: string;
}

const chainName = { signature: 'signature', keyExchange: 'key-exchange' } as const;

function chainDetail(usage: 'signature' | 'keyExchange', check: GatewayChainCheck): ConnectionTestDetail['certificates']['chains'][number] {
  return {
    usage,
    ok: check.ok,
    ...(check.ok ? {} : { code: check.code, message: check.message }),
    certificates: check.certificates.map((certificate) => ({ subject: certificate.subject, serialNumber: certificate.serialNumber, notAfter: certificate.notAfter.toISOString() })),
  };
}

/**
 * The POS × acquirer links whose keys may sign a test exchange: registered, under a verified contract, with a
 * signature certificate in force. Its keys are loaded to be sure (a destroyed key, a missing key-exchange
 * certificate); the first that loads signs.
 */
async function signingLink(acquirerId: string, now: Date) {
  const candidates = await db().posAcquirer.findMany({
    where: {
      acquirerId,
      status: 'REGISTERED',
      contract: { status: 'VERIFIED' },
      certificates: { some: { status: 'ACTIVE', usage: 'SIGNATURE', notBefore: { lte: now }, notAfter: { gt: now } } },
    },
    orderBy: { updatedAt: 'desc' },
    take: 5,
    select: { id: true, posId: true, pos: { select: { name: true, store: { select: { name: true } } } }, contract: { select: { merchantNumber: true } } },
  });
  for (const candidate of candidates) {
    try {
      await loadMerchantKeys(candidate.id, now);
      return candidate;
    } catch (error) {
      if (!isAppError(error)) throw error;
    }
  }
  return null;
}

/**
 * Tests the connection to one acquirer's payment gateway, as a payment would use it: fetches the gateway's
 * published certificate chains and validates both with the pinned-root validator (roles, CRLs, expiry), then
 * makes a signed exchange — an InqReq for a fresh random XID, signed with the keys of a POS registered with the
 * acquirer and sealed to the key-exchange certificate just checked — whose signed InqRes must verify against
 * the published signature certificate and say the XID is unknown. Records one AcquirerConnectionTest (audited
 * in the same transaction when an operator asked). A gateway problem is a recorded failure, never an exception.
 */
export async function runConnectionTest(options: RunConnectionTestOptions): Promise<ConnectionTestRecord> {
  if (!isUuid(options.acquirerId)) throw new AppError('not_found', 'No such acquirer.');
  const acquirer = await db().acquirer.findUnique({ where: { id: options.acquirerId }, select: { id: true, code: true, name: true, gatewayUrl: true } });
  if (!acquirer) throw new AppError('not_found', 'No such acquirer.');
  const timeoutMs = options.timeoutMs ?? env().GATEWAY_TIMEOUT_MS;
  const startedAt = new Date();
  const detail: ConnectionTestDetail = { certificates: { url: `${acquirer.gatewayUrl}/certificates`, chains: [] }, exchange: { ran: false } };
  let failure: Failure | null = null;
  const fail = (code: ConnectionTestCode, message: string) => {
    // The first failure is the one the operator reads; later steps only add detail.
    failure ??= { code, message };
  };
  let latencyMs: number | null = null;

  // 1. The published certificate chains.
  let keyExchange: GatewayChainCheck | null = null;
  let signatureThumbprint: string | null = null;
  try {
    const checked = await checkGatewayCertificates(acquirer, { timeoutMs });
    if (checked.kind === 'unreachable') {
      detail.certificates = { ...detail.certificates, error: checked.reason, latencyMs: checked.latencyMs };
      fail('gateway_unavailable', `The gateway's certificates could not be fetched: ${checked.reason}${checked.reason === 'timed out' ? ` after ${timeoutMs} ms` : ''}.`);
    } else if (checked.kind === 'http_error') {
      detail.certificates = { ...detail.certificates, httpStatus: checked.httpStatus, latencyMs: checked.latencyMs };
      if (checked.httpStatus >= 500) fail('gateway_error', `The gateway answered HTTP ${checked.httpStatus} for its certificates.`);
      else fail('unexpected_answer', `The gateway answered HTTP ${checked.httpStatus} for its certificates.`);
    } else if (checked.kind === 'malformed') {
      detail.certificates = { ...detail.certificates, httpStatus: checked.httpStatus, latencyMs: checked.latencyMs };
      fail('unexpected_answer', 'The gateway published something other than a certificate list.');
    } else {
      detail.certificates = { ...detail.certificates, httpStatus: checked.httpStatus, latencyMs: checked.latencyMs, chains: [chainDetail('signature', checked.signature), chainDetail('keyExchange', checked.keyExchange)] };
      for (const usage of ['signature', 'keyExchange'] as const) {
        const chain = checked[usage];
        if (!chain.ok) fail('certificate_invalid', `The gateway's ${chainName[usage]} certificate does not validate: ${chain.message} (${chain.code})`);
      }
      if (checked.signature.ok) signatureThumbprint = checked.signature.validated.thumbprint;
      if (checked.keyExchange.ok) keyExchange = checked.keyExchange;
    }
  } catch (error) {
    if (!isAppError(error)) throw error;
    detail.certificates = { ...detail.certificates, error: 'trust unavailable' };
    fail('trust_unavailable', `The gateway's certificates could not be judged: ${error.message}`);
  }

  // 2. The signed exchange, sealed to the key-exchange certificate just validated.
  if (!keyExchange?.ok) {
    detail.exchange = { ran: false, skipped: 'No valid key-exchange certificate of the gateway to seal the request to.' };
  } else {
    const link = await signingLink(acquirer.id, startedAt);
    if (!link) {
      detail.exchange = { ran: false, skipped: 'No POS is registered with this acquirer.' };
      fail('no_registered_pos', `No POS is registered with ${acquirer.name} with certificates in force, so no signed exchange could be made. The certificates were checked.`);
    } else {
      const xid = randomId();
      const pos = { posId: link.posId, posName: link.pos.name, storeName: link.pos.store.name, merchantNumber: link.contract.merchantNumber };
      const answer = await callGateway({ posAcquirerId: link.id, acquirer }, 'InqReq', { xid }, { timeoutMs, gateway: await recipientOf(keyExchange.validated) });
      if (answer.kind === 'no_answer') {
        const outcome = answer.outcome;
        detail.exchange = { ran: true, pos, xid, ...(outcome.httpStatus ? { httpStatus: outcome.httpStatus } : {}) };
        if (outcome.httpStatus !== undefined) {
          latencyMs = outcome.latencyMs;
          detail.exchange.latencyMs = outcome.latencyMs;
        }
        if (outcome.kind === 'unverified') {
          detail.exchange.code = outcome.code;
          fail('signature_invalid', `The gateway's answer does not verify (${outcome.code}).`);
        } else if (outcome.kind === 'refused') {
          detail.exchange.code = outcome.code;
          fail('unexpected_answer', `The gateway refused the signed request with HTTP ${outcome.httpStatus ?? '4xx'}: ${outcome.message} (${outcome.code})`);
        } else if (outcome.httpStatus !== undefined && outcome.httpStatus >= 500) {
          fail('gateway_error', `The gateway answered HTTP ${outcome.httpStatus} to the signed request.`);
        } else {
          const reason = outcome.reason === 'timed out' ? `no answer within ${timeoutMs} ms` : outcome.reason;
          fail('gateway_unavailable', `The signed request got no answer: ${reason}.`);
        }
      } else {
        latencyMs = answer.latencyMs;
        detail.exchange = { ran: true, pos, xid, latencyMs: answer.latencyMs, signerSerialNumber: answer.signer.certificate.serialNumber, ...(answer.httpStatus ? { httpStatus: answer.httpStatus } : {}) };
        if (answer.kind === 'error') {
          detail.exchange.code = answer.code;
          fail('unexpected_answer', `The gateway answered the inquiry with an error: ${answer.message} (${answer.code})`);
        } else {
          detail.exchange.state = answer.message.state;
          if (signatureThumbprint !== null && answer.signer.thumbprint !== signatureThumbprint) {
            fail('signature_invalid', 'The answer was signed with another certificate than the signature certificate the gateway publishes.');
          } else if (answer.message.state !== 'unknown') {
            fail('unexpected_answer', `The gateway says a fresh transaction id is ${answer.message.state}; it should know nothing of it.`);
          }
        }
      }
    }
  }

  const outcome = failure as Failure | null;
  const actor: Actor = options.operatorUserId ? { type: 'OPERATOR', id: options.operatorUserId } : { type: 'SYSTEM', id: null };
  return db().$transaction(async (tx) => {
    const row = await tx.acquirerConnectionTest.create({
      data: {
        acquirerId: acquirer.id,
        trigger: options.trigger,
        ok: outcome === null,
        code: outcome?.code ?? null,
        message: outcome ? outcome.message.slice(0, 500) : null,
        latencyMs,
        detail: detail as unknown as Prisma.InputJsonObject,
        operatorUserId: options.operatorUserId ?? null,
        startedAt,
      },
    });
    if (options.trigger === 'ON_DEMAND') {
      await recordAuditEvent(tx, {
        actor,
        action: 'acquirer.connection_tested',
        targetType: 'Acquirer',
        targetId: acquirer.id,
        data: { acquirerCode: acquirer.code, ok: outcome === null, ...(outcome ? { code: outcome.code } : {}), ...(latencyMs !== null ? { latencyMs } : {}) },
        origin: options.origin ?? null,
      });
    }
    return { id: row.id, acquirerId: row.acquirerId, trigger: row.trigger, ok: row.ok, code: row.code, message: row.message, latencyMs: row.latencyMs, detail, startedAt: row.startedAt };
  });
}
