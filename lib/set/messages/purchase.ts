import { thumbprint, type ValidatedCertificate } from '@/lib/pki';
import { base64UrlOf, fromBase64Url, fromUtf8, randomId, sameString, sha256, utf8 } from '../encoding';
import { seal } from '../envelope/seal';
import { signPayload } from '../envelope/sign';
import { verifySigned } from '../envelope/open';
import { asSetError, SetError } from '../errors';
import { recipientOf, type Recipient, type Signer } from '../keys';
import { messageTime, receiveSigned, receiveUnsigned, sendSigned, sendUnsigned, type Party } from '../protocol';
import {
  orderInformationSchema,
  type Amount,
  type MerchantRef,
  type MessageOf,
  type OrderInformation,
  type PaymentAccount,
  type PaymentInstructions,
  type Result,
} from '../schemas';

export type PInitReq = MessageOf<'PInitReq'>;
export type PInitRes = MessageOf<'PInitRes'>;
export type PReq = MessageOf<'PReq'>;
export type PRes = MessageOf<'PRes'>;

/**
 * Wallet: starts a purchase for a pre-registered order with the chosen brand and, for a card, its BIN (the
 * first six digits, never more of the number). Unsigned: the cardholder may have no certificate.
 */
export function createPInitReq(input: { brand: string; orderRef: string; bin?: string; party?: Pick<Party, 'clock'> }): { message: PInitReq; raw: string } {
  const message: PInitReq = {
    msg: 'PInitReq',
    v: 1,
    rrpid: randomId(),
    time: messageTime(input.party),
    lidC: randomId(),
    challC: randomId(),
    brand: input.brand,
    orderRef: input.orderRef,
    ...(input.bin === undefined ? {} : { bin: input.bin }),
  };
  return { message, raw: sendUnsigned(message) };
}

/** Merchant: reads a PInitReq. */
export function openPInitReq(raw: unknown, party: Party): Promise<PInitReq> {
  return receiveUnsigned(raw, { types: ['PInitReq'], party });
}

/**
 * Merchant: answers with a fresh XID, its own challenge, the amount fixed on
 * the server, and the gateway's key-exchange chain for the wallet to seal PI to.
 */
export async function createPInitRes(input: {
  request: PInitReq;
  amount: Amount;
  merchant: MerchantRef;
  gatewayKeyExchange: string[];
  signer: Signer;
  xid?: string;
  party?: Pick<Party, 'clock'>;
}): Promise<{ message: PInitRes; raw: string }> {
  const message: PInitRes = {
    msg: 'PInitRes',
    v: 1,
    rrpid: input.request.rrpid,
    time: messageTime(input.party),
    lidC: input.request.lidC,
    xid: input.xid ?? randomId(),
    challC: input.request.challC,
    challM: randomId(),
    brand: input.request.brand,
    orderRef: input.request.orderRef,
    amount: input.amount,
    merchant: input.merchant,
    gatewayKeyExchange: input.gatewayKeyExchange,
  };
  return { message, raw: await sendSigned(message, input.signer) };
}

export interface OpenedPInitRes {
  message: PInitRes;
  merchant: ValidatedCertificate;
  gateway: ValidatedCertificate;
  /** Where the wallet seals PI: the gateway of the merchant's own acquirer. */
  gatewayRecipient: Recipient;
}

/**
 * Wallet: checks the merchant's signature and that the answer echoes this
 * request (RRPID, LID-C, Chall-C), and validates the gateway's key-exchange
 * certificate: a gateway of the same acquirer as the merchant.
 */
export async function openPInitRes(raw: unknown, options: { party: Party; request: PInitReq }): Promise<OpenedPInitRes> {
  const { message, signer } = await receiveSigned(raw, { types: ['PInitRes'], party: options.party, signerRoles: ['merchant'] });
  if (message.rrpid !== options.request.rrpid || message.lidC !== options.request.lidC) throw new SetError('rrpid_mismatch', 'The answer is not for this request.');
  if (!sameString(message.challC, options.request.challC)) throw new SetError('challenge_mismatch', 'The merchant did not echo the cardholder challenge.');
  if (message.brand !== options.request.brand) throw new SetError('invalid_message', 'The merchant answered for another brand.');
  if (message.orderRef !== options.request.orderRef) throw new SetError('invalid_message', 'The merchant answered for another order.');
  const gateway = await asSetError(() => options.party.validator.validate(message.gatewayKeyExchange, { usage: 'keyExchange', roles: ['gateway'] }));
  if (signer.identity.acquirerId === undefined || gateway.identity.acquirerId !== signer.identity.acquirerId) {
    throw new SetError('identity_mismatch', "The gateway certificate is not of the merchant's acquirer.");
  }
  if (message.merchant.acquirerId !== signer.identity.acquirerId || message.merchant.merchantNumber !== signer.identity.merchantNumber) {
    throw new SetError('merchant_mismatch', "The merchant named in the answer is not the signer.");
  }
  return { message, merchant: signer, gateway, gatewayRecipient: await recipientOf(gateway) };
}

/**
 * Wallet: builds the purchase request. OI goes to the merchant as exact bytes;
 * PI, with the account data and the OI hash, is sealed to the gateway alone.
 * With a cardholder certificate, a dual signature over (OI hash, PI hash) is
 * added, which the merchant can check without reading PI.
 */
export async function createPReq(input: {
  init: OpenedPInitRes;
  request: PInitReq;
  orderDescription: string;
  account: PaymentAccount;
  cardholder?: Signer;
  party?: Pick<Party, 'clock'>;
}): Promise<{ message: PReq; raw: string; oi: OrderInformation }> {
  const init = input.init.message;
  const oi: OrderInformation = {
    xid: init.xid,
    lidC: init.lidC,
    challC: input.request.challC,
    challM: init.challM,
    brand: init.brand,
    orderRef: input.request.orderRef,
    amount: init.amount,
    odHash: await sha256(utf8(input.orderDescription)),
  };
  const oiBytes = utf8(JSON.stringify(oi));
  const oiHash = await sha256(oiBytes);
  const pi: PaymentInstructions = {
    xid: init.xid,
    amount: init.amount,
    brand: init.brand,
    merchant: { acquirerId: init.merchant.acquirerId, merchantNumber: init.merchant.merchantNumber },
    gateway: input.init.gateway.thumbprint,
    oiHash,
    ...(input.cardholder ? { cardholder: await thumbprint(input.cardholder.chain[0]!) } : {}),
    account: input.account,
  };
  const piBytes = utf8(JSON.stringify(pi));
  const message: PReq = {
    msg: 'PReq',
    v: 1,
    rrpid: randomId(),
    time: messageTime(input.party),
    xid: init.xid,
    oi: base64UrlOf(oiBytes),
    pi: await seal(fromUtf8(piBytes), input.init.gatewayRecipient),
  };
  if (input.cardholder) {
    const piHash = await sha256(piBytes);
    message.piHash = piHash;
    message.dualSignature = await signPayload(JSON.stringify({ xid: init.xid, oiHash, piHash }), input.cardholder);
  }
  return { message, raw: sendUnsigned(message), oi };
}

/** What the merchant learns from a PReq: the order information, its hash, and PI still sealed. */
export interface OpenedPReq {
  message: PReq;
  oi: OrderInformation;
  oiHash: string;
  /** The cardholder's certificate, when the PReq was dual-signed. */
  cardholder?: ValidatedCertificate;
}

/** Checks a dual signature: signed by a cardholder certificate, over exactly this XID, OI hash and PI hash. */
export async function verifyDualSignature(
  dualSignature: string,
  expected: { xid: string; oiHash: string; piHash: string },
  party: Party,
): Promise<ValidatedCertificate> {
  const { payload, signer } = await verifySigned(dualSignature, party.validator, ['cardholder']).catch((error: unknown) => {
    if (error instanceof SetError && error.code === 'signature_invalid') throw new SetError('dual_signature_invalid', 'The dual signature does not verify.');
    throw error;
  });
  let signed: unknown;
  try {
    signed = JSON.parse(payload);
  } catch {
    throw new SetError('dual_signature_invalid', 'The dual signature payload is not JSON.');
  }
  const value = signed as { xid?: unknown; oiHash?: unknown; piHash?: unknown };
  if (value.xid !== expected.xid) throw new SetError('xid_mismatch', 'The dual signature is for another transaction.');
  if (typeof value.oiHash !== 'string' || !sameString(value.oiHash, expected.oiHash)) throw new SetError('oi_hash_mismatch', 'The dual signature is over other order information.');
  if (typeof value.piHash !== 'string' || !sameString(value.piHash, expected.piHash)) throw new SetError('dual_signature_invalid', 'The dual signature is over other payment instructions.');
  return signer;
}

/**
 * Merchant: reads a PReq against the PInitRes it sent — same XID, both
 * challenges echoed in OI, the amount it fixed — and checks the dual
 * signature when there is one. It never sees PI's content.
 */
export async function openPReq(raw: unknown, options: { party: Party; init: PInitRes }): Promise<OpenedPReq> {
  const message = await receiveUnsigned(raw, { types: ['PReq'], party: options.party });
  let oiBytes: Uint8Array<ArrayBuffer>;
  let oiValue: unknown;
  try {
    oiBytes = fromBase64Url(message.oi);
    oiValue = JSON.parse(fromUtf8(oiBytes));
  } catch {
    throw new SetError('invalid_message', 'PReq: the order information is not base64url JSON.');
  }
  const parsed = orderInformationSchema.safeParse(oiValue);
  if (!parsed.success) throw new SetError('invalid_message', 'PReq: the order information is not valid.');
  const oi = parsed.data;
  const init = options.init;
  if (message.xid !== init.xid || oi.xid !== init.xid) throw new SetError('xid_mismatch', 'The purchase request is for another transaction.');
  if (!sameString(oi.challC, init.challC) || !sameString(oi.challM, init.challM) || oi.lidC !== init.lidC) {
    throw new SetError('challenge_mismatch', 'The order information does not echo the challenges of this transaction.');
  }
  if (oi.amount.value !== init.amount.value || oi.amount.currency !== init.amount.currency) {
    throw new SetError('amount_mismatch', 'The order information states another amount.');
  }
  if (oi.brand !== init.brand) throw new SetError('invalid_message', 'The order information names another brand.');
  if (oi.orderRef !== init.orderRef) throw new SetError('invalid_message', 'The order information names another order.');
  const oiHash = await sha256(oiBytes);
  if ((message.dualSignature === undefined) !== (message.piHash === undefined)) {
    throw new SetError('invalid_message', 'PReq: a dual signature and the PI hash come together.');
  }
  const opened: OpenedPReq = { message, oi, oiHash };
  if (message.dualSignature && message.piHash) {
    opened.cardholder = await verifyDualSignature(message.dualSignature, { xid: init.xid, oiHash, piHash: message.piHash }, options.party);
  }
  return opened;
}

/** Merchant: the purchase result, signed, echoing the wallet's RRPID and challenge. */
export async function createPRes(input: { preq: OpenedPReq; result: Result; signer: Signer; party?: Pick<Party, 'clock'> }): Promise<{ message: PRes; raw: string }> {
  const message: PRes = {
    msg: 'PRes',
    v: 1,
    rrpid: input.preq.message.rrpid,
    time: messageTime(input.party),
    xid: input.preq.oi.xid,
    lidC: input.preq.oi.lidC,
    challC: input.preq.oi.challC,
    result: input.result,
  };
  return { message, raw: await sendSigned(message, input.signer) };
}

/** Wallet: checks that the result is the merchant's answer to this very PReq. */
export async function openPRes(raw: unknown, options: { party: Party; preq: PReq; oi: OrderInformation; merchant: ValidatedCertificate }): Promise<PRes> {
  const { message, signer } = await receiveSigned(raw, { types: ['PRes'], party: options.party, signerRoles: ['merchant'] });
  if (signer.thumbprint !== options.merchant.thumbprint) throw new SetError('identity_mismatch', 'The result is signed by another merchant certificate.');
  if (message.rrpid !== options.preq.rrpid) throw new SetError('rrpid_mismatch', 'The result is not for this request.');
  if (message.xid !== options.oi.xid) throw new SetError('xid_mismatch', 'The result is for another transaction.');
  if (!sameString(message.challC, options.oi.challC)) throw new SetError('challenge_mismatch', 'The result does not echo the cardholder challenge.');
  return message;
}

