/**
 * The acquirer's SET payment gateway: opens each request (sealed to it,
 * signed by a merchant certificate that chains to the root and is not
 * revoked), checks the merchant is registered and active here, checks PI
 * against the authorization, asks the issuer, journals what it accepted, and
 * answers signed and sealed to the merchant. A repeated request (same type,
 * merchant and RRPID) gets the journaled answer and no second entry.
 */
import { randomInt } from 'node:crypto';
import {
  createErrorMessage,
  createGatewayResponse,
  isSetError,
  openGatewayRequest,
  verifyPaymentInstructions,
  type KeyExchangeIdentity,
  type MessageOf,
  type OpenedGatewayRequest,
  type Party,
  type Result,
  type Signer,
} from '@/lib/set';
import type { AcquirerConfig } from '../config';
import { SimHttpError, simLog } from '../shared/http';
import { decide, declineReasons, type DeclineCode } from './issuer';
import type { Ledger, LedgerEntry } from './ledger';
import type { MerchantRegistry } from './registry';

export interface GatewayKeys {
  signer: Signer;
  keyExchange: KeyExchangeIdentity;
}

/** What the HTTP layer sends back: a sealed answer, or nothing ever (the issuer that never answers). */
export type GatewayOutcome = { raw: string } | { hold: true };

const refusals = {
  merchant_not_registered: { en: 'This merchant is not registered with this acquirer.', ja: 'この加盟店は当社に登録されていません。' },
  merchant_suspended: { en: 'This merchant is suspended; no new authorizations.', ja: 'この加盟店は停止中のため、新たなオーソリはできません。' },
  merchant_withdrawn: { en: 'This merchant has withdrawn.', ja: 'この加盟店は退会しています。' },
  wrong_acquirer: { en: 'The merchant certificate is for another acquirer.', ja: '加盟店証明書が他の加盟店契約会社のものです。' },
  duplicate_xid: { en: 'This transaction was already authorized under another request.', ja: 'この取引は別の要求で既にオーソリ済みです。' },
} as const;

function authCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 6 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

const approved = (code: string, extra: Partial<Result> = {}): Result => ({ status: 'approved', code, ...extra });
const declined = (code: DeclineCode | string, text?: { en: string; ja: string }): Result => ({ status: 'declined', code, ...(text ? { message: text } : {}) });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Gateway {
  private readonly inFlight = new Map<string, Promise<GatewayOutcome>>();

  constructor(
    private readonly acquirer: AcquirerConfig,
    private readonly keys: GatewayKeys,
    private readonly party: Party,
    private readonly registry: MerchantRegistry,
    private readonly ledger: Ledger,
  ) {}

  /** The gateway's certificate chains, as merchants fetch them. */
  certificates(): { acquirerId: string; brands: string[]; signature: string[]; keyExchange: string[] } {
    return { acquirerId: this.acquirer.id, brands: this.acquirer.brands, signature: this.keys.signer.x5c, keyExchange: this.keys.keyExchange.x5c };
  }

  /** Handles one SET request body. A request that cannot be opened is an HTTP 400: there is nobody to seal an answer to. */
  async handle(raw: string): Promise<GatewayOutcome> {
    let request: OpenedGatewayRequest;
    try {
      request = await openGatewayRequest(raw, { party: this.party, gateway: this.keys.keyExchange });
    } catch (error) {
      if (isSetError(error)) {
        simLog(this.acquirer.id, 'request refused', { code: error.code });
        throw new SimHttpError(400, error.code, error.message);
      }
      throw error;
    }
    const merchantNumber = request.merchant.identity.merchantNumber ?? '';
    const key = `${request.message.msg}|${merchantNumber}|${request.message.rrpid}`;
    const answered = this.ledger.answerFor(key);
    if (answered) return { raw: answered };
    const running = this.inFlight.get(key);
    if (running) return running;
    const work = this.process(request, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, work);
    return work;
  }

  private async refuse(request: OpenedGatewayRequest, code: string, message: string): Promise<GatewayOutcome> {
    const xid = 'xid' in request.message ? request.message.xid : undefined;
    const answer = await createErrorMessage({ error: { code, message }, about: request.message.msg, rrpid: request.message.rrpid, ...(xid ? { xid } : {}), signer: this.keys.signer, recipient: request.replyTo });
    return { raw: answer.raw };
  }

  private async process(request: OpenedGatewayRequest, key: string): Promise<GatewayOutcome> {
    const identity = request.merchant.identity;
    if (identity.acquirerId !== this.acquirer.id) return this.refuse(request, 'wrong_acquirer', refusals.wrong_acquirer.en);
    const merchant = this.registry.get(identity.merchantNumber ?? '');
    if (!merchant || merchant.status === 'contracted') return this.refuse(request, 'merchant_not_registered', refusals.merchant_not_registered.en);
    if (merchant.status === 'withdrawn') return this.refuse(request, 'merchant_withdrawn', refusals.merchant_withdrawn.en);
    const message = request.message;
    switch (message.msg) {
      case 'AuthReq':
        if (merchant.status === 'suspended') return this.refuse(request, 'merchant_suspended', refusals.merchant_suspended.en);
        return this.authorize({ ...request, message }, key, merchant.info);
      case 'CapReq':
        return this.capture({ ...request, message }, key);
      case 'AuthRevReq':
        return this.reverse({ ...request, message }, key);
      case 'CredReq':
        return this.credit({ ...request, message }, key);
      case 'InqReq':
        return this.inquire({ ...request, message });
    }
  }

  private async authorize(request: OpenedGatewayRequest & { message: MessageOf<'AuthReq'> }, key: string, info: { version: number; name: string; status: 'active' | 'suspended' | 'withdrawn' }): Promise<GatewayOutcome> {
    const message = request.message;
    const merchantNumber = request.merchant.identity.merchantNumber!;
    let pi;
    try {
      pi = (await verifyPaymentInstructions(request, { party: this.party, gateway: this.keys.keyExchange })).pi;
    } catch (error) {
      if (isSetError(error)) {
        simLog(this.acquirer.id, 'payment instructions refused', { code: error.code, merchantNumber, xid: message.xid });
        return this.refuse(request, error.code, error.message);
      }
      throw error;
    }
    if (this.ledger.transaction(merchantNumber, message.xid)) return this.refuse(request, 'duplicate_xid', refusals.duplicate_xid.en);

    const decision = decide({ account: pi.account, brand: pi.brand, amount: message.amount.value, acceptedBrands: this.acquirer.brands, now: new Date() });
    if (decision.kind === 'never') {
      simLog(this.acquirer.id, 'issuer never answers (test card)', { merchantNumber, xid: message.xid });
      return { hold: true };
    }
    if (decision.kind === 'slow') await sleep(this.acquirer.slowCardSeconds * 1000);
    const last4 = pi.account.kind === 'card' ? pi.account.pan.slice(-4) : pi.account.accountNumber.slice(-4);
    const base = { merchantNumber, posId: request.merchant.identity.posId, xid: message.xid, request: `AuthReq:${message.rrpid}`, amount: message.amount.value, currency: message.amount.currency, brand: pi.brand, last4 };
    const entries: Omit<LedgerEntry, 'seq' | 'at'>[] = [];
    let result: Result;
    if (decision.kind === 'decline') {
      result = declined(decision.code, declineReasons[decision.code]);
      entries.push({ ...base, type: 'decline', code: decision.code });
    } else {
      const code = authCode();
      result = approved('approved', { authCode: code });
      entries.push({ ...base, type: 'authorization', code: 'approved', authCode: code });
      if (message.captureNow) entries.push({ ...base, type: 'capture', code: 'captured', authCode: code, captureId: message.rrpid });
    }
    const newerInfo = message.storeInfoVersion !== undefined && info.version > message.storeInfoVersion;
    // The AuthRes carries only what lib/set's strict storeInfo schema allows; the contact fields travel through the registry.
    const storeInfo = { version: info.version, name: info.name, status: info.status };
    const answer = await createGatewayResponse(
      request,
      { xid: message.xid, amount: message.amount, result, captured: decision.kind !== 'decline' && message.captureNow, ...(newerInfo ? { storeInfo } : {}) },
      { signer: this.keys.signer },
    );
    this.ledger.record(entries, key, answer.raw);
    simLog(this.acquirer.id, 'authorization', { merchantNumber, xid: message.xid, status: result.status, code: result.code });
    return { raw: answer.raw };
  }

  private async capture(request: OpenedGatewayRequest & { message: MessageOf<'CapReq'> }, key: string): Promise<GatewayOutcome> {
    const message = request.message;
    const merchantNumber = request.merchant.identity.merchantNumber!;
    const entries: Omit<LedgerEntry, 'seq' | 'at'>[] = [];
    const pending = new Map<string, number>();
    const items = message.items.map((item) => {
      const transaction = this.ledger.transaction(merchantNumber, item.xid);
      const earlier = transaction?.captureIds.get(item.captureId);
      if (earlier) return { xid: item.xid, captureId: item.captureId, result: earlier === 'captured' ? approved('captured') : declined(earlier) };
      let code: string | undefined;
      const alreadyInBatch = pending.get(item.xid) ?? 0;
      if (!transaction || transaction.status === 'declined') code = 'unknown_transaction';
      else if (transaction.authCode !== item.authCode) code = 'auth_code_mismatch';
      else if (transaction.status === 'reversed') code = 'authorization_reversed';
      else if (transaction.currency !== item.amount.currency) code = 'currency_mismatch';
      else if (transaction.captured + alreadyInBatch + item.amount.value > transaction.authorized) code = 'amount_exceeds_authorization';
      if (code) return { xid: item.xid, captureId: item.captureId, result: declined(code) };
      pending.set(item.xid, alreadyInBatch + item.amount.value);
      entries.push({ type: 'capture', merchantNumber, posId: request.merchant.identity.posId, xid: item.xid, request: `CapReq:${message.rrpid}`, amount: item.amount.value, currency: item.amount.currency, authCode: item.authCode, code: 'captured', captureId: item.captureId, batchId: message.batchId });
      return { xid: item.xid, captureId: item.captureId, result: approved('captured') };
    });
    const answer = await createGatewayResponse(request, { batchId: message.batchId, items }, { signer: this.keys.signer });
    this.ledger.record(entries, key, answer.raw);
    simLog(this.acquirer.id, 'capture batch', { merchantNumber, batchId: message.batchId, items: items.length, captured: entries.length });
    return { raw: answer.raw };
  }

  private async reverse(request: OpenedGatewayRequest & { message: MessageOf<'AuthRevReq'> }, key: string): Promise<GatewayOutcome> {
    const message = request.message;
    const merchantNumber = request.merchant.identity.merchantNumber!;
    const transaction = this.ledger.transaction(merchantNumber, message.xid);
    let code: string | undefined;
    if (!transaction || transaction.status === 'declined') code = 'unknown_transaction';
    else if (transaction.authCode !== message.authCode) code = 'auth_code_mismatch';
    else if (transaction.captured > 0) code = 'already_captured';
    else if (transaction.currency !== message.newAmount.currency) code = 'currency_mismatch';
    else if (message.newAmount.value >= transaction.authorized) code = 'amount_not_reduced';
    const entries: Omit<LedgerEntry, 'seq' | 'at'>[] = code
      ? []
      : [{ type: 'reversal', merchantNumber, posId: request.merchant.identity.posId, xid: message.xid, request: `AuthRevReq:${message.rrpid}`, amount: message.newAmount.value, currency: message.newAmount.currency, authCode: message.authCode, code: 'reversed' }];
    const remaining = code ? (transaction?.authorized ?? 0) : message.newAmount.value;
    const answer = await createGatewayResponse(
      request,
      { xid: message.xid, result: code ? declined(code) : approved('reversed'), authorizedAmount: { value: remaining, currency: message.newAmount.currency } },
      { signer: this.keys.signer },
    );
    this.ledger.record(entries, key, answer.raw);
    return { raw: answer.raw };
  }

  private async credit(request: OpenedGatewayRequest & { message: MessageOf<'CredReq'> }, key: string): Promise<GatewayOutcome> {
    const message = request.message;
    const merchantNumber = request.merchant.identity.merchantNumber!;
    const transaction = this.ledger.transaction(merchantNumber, message.xid);
    let code: string | undefined;
    const earlier = transaction?.creditIds.get(message.creditId);
    if (earlier) code = earlier === 'credited' ? undefined : earlier;
    else if (!transaction || transaction.captured === 0) code = 'not_captured';
    else if (transaction.currency !== message.amount.currency) code = 'currency_mismatch';
    else if (transaction.credited + message.amount.value > transaction.captured) code = 'amount_exceeds_capture';
    const entries: Omit<LedgerEntry, 'seq' | 'at'>[] =
      code || earlier
        ? []
        : [{ type: 'credit', merchantNumber, posId: request.merchant.identity.posId, xid: message.xid, request: `CredReq:${message.rrpid}`, amount: message.amount.value, currency: message.amount.currency, code: 'credited', creditId: message.creditId }];
    const creditedTotal = (transaction?.credited ?? 0) + (entries.length > 0 ? message.amount.value : 0);
    const answer = await createGatewayResponse(
      request,
      { xid: message.xid, creditId: message.creditId, result: code ? declined(code) : approved('credited'), creditedTotal: { value: creditedTotal, currency: message.amount.currency } },
      { signer: this.keys.signer },
    );
    this.ledger.record(entries, key, answer.raw);
    return { raw: answer.raw };
  }

  private async inquire(request: OpenedGatewayRequest & { message: MessageOf<'InqReq'> }): Promise<GatewayOutcome> {
    const transaction = this.ledger.transaction(request.merchant.identity.merchantNumber!, request.message.xid);
    const money = (value: number) => ({ value, currency: transaction!.currency });
    const answer = await createGatewayResponse(
      request,
      transaction
        ? {
            xid: request.message.xid,
            state: transaction.status,
            lastResult: transaction.status === 'declined' ? declined(transaction.lastCode) : approved(transaction.lastCode, transaction.authCode ? { authCode: transaction.authCode } : {}),
            authorized: money(transaction.authorized),
            captured: money(transaction.captured),
            credited: money(transaction.credited),
          }
        : { xid: request.message.xid, state: 'unknown' },
      { signer: this.keys.signer },
    );
    return { raw: answer.raw };
  }
}
