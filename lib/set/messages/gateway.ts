import { readIdentity, type ValidatedCertificate } from '@/lib/pki';
import { randomId, sameString, sha256, utf8 } from '../encoding';
import { unseal } from '../envelope/open';
import { asSetError, SetError } from '../errors';
import { recipientOf, type KeyExchangeIdentity, type Recipient, type Signer } from '../keys';
import { messageTime, receiveSigned, sendSigned, type Party } from '../protocol';
import { paymentInstructionsSchema, type MessageOf, type PaymentInstructions } from '../schemas';
import { verifyDualSignature, type OpenedPReq } from './purchase';

/** Requests a merchant sends to its acquirer's payment gateway, and the answer each gets. */
export const gatewayExchanges = {
  AuthReq: 'AuthRes',
  CapReq: 'CapRes',
  AuthRevReq: 'AuthRevRes',
  CredReq: 'CredRes',
  InqReq: 'InqRes',
} as const;

export type GatewayRequestType = keyof typeof gatewayExchanges;
export type GatewayResponseType = (typeof gatewayExchanges)[GatewayRequestType];
export type GatewayRequest = MessageOf<GatewayRequestType>;
/** The answer a gateway gives to a request of type K. */
export type ResponseTo<K extends GatewayRequestType> = MessageOf<(typeof gatewayExchanges)[K]>;

/** The fields a request's own builder supplies; the envelope fields are filled in here. */
export type GatewayRequestBody<K extends GatewayRequestType> = Omit<MessageOf<K>, 'msg' | 'v' | 'rrpid' | 'time' | 'merchantKeyExchange'>;
export type GatewayResponseBody<K extends GatewayRequestType> = Omit<ResponseTo<K>, 'msg' | 'v' | 'rrpid' | 'time'>;

/** The merchant side of one POS × acquirer: its signature and key-exchange identities. */
export interface MerchantKeys {
  signer: Signer;
  keyExchange: KeyExchangeIdentity;
}

/**
 * Merchant: signs a gateway request with the store's signature key for this
 * acquirer and seals it to the gateway. The merchant's key-exchange chain
 * rides along so the gateway can seal its answer back.
 */
export async function createGatewayRequest<K extends GatewayRequestType>(
  type: K,
  body: GatewayRequestBody<K>,
  options: { merchant: MerchantKeys; gateway: Recipient; party?: Pick<Party, 'clock'>; rrpid?: string },
): Promise<{ message: MessageOf<K>; raw: string }> {
  const message = {
    msg: type,
    v: 1,
    rrpid: options.rrpid ?? randomId(),
    time: messageTime(options.party),
    merchantKeyExchange: options.merchant.keyExchange.x5c,
    ...body,
  } as unknown as MessageOf<K>;
  return { message, raw: await sendSigned(message, options.merchant.signer, options.gateway) };
}

/** What a gateway knows after opening a request: who sent it and where the answer goes. */
export interface OpenedGatewayRequest {
  message: GatewayRequest;
  merchant: ValidatedCertificate;
  replyTo: Recipient;
}

/**
 * Gateway: opens a request sealed to it, signed by a merchant certificate; the
 * merchant's key-exchange certificate must name the same merchant and POS.
 */
export async function openGatewayRequest(raw: unknown, options: { party: Party; gateway: KeyExchangeIdentity; types?: readonly GatewayRequestType[] }): Promise<OpenedGatewayRequest> {
  const types = options.types ?? (Object.keys(gatewayExchanges) as GatewayRequestType[]);
  const { message, signer } = await receiveSigned(raw, { types, party: options.party, signerRoles: ['merchant'], me: options.gateway });
  const keyExchange = await asSetError(() => options.party.validator.validate(message.merchantKeyExchange, { usage: 'keyExchange', roles: ['merchant'] }));
  for (const field of ['acquirerId', 'merchantNumber', 'posId'] as const) {
    if (keyExchange.identity[field] !== signer.identity[field]) {
      throw new SetError('identity_mismatch', "The merchant's key-exchange certificate names another merchant or POS.");
    }
  }
  return { message, merchant: signer, replyTo: await recipientOf(keyExchange) };
}

/** Gateway: signs its answer and seals it to the merchant, echoing the request's RRPID. */
export async function createGatewayResponse<K extends GatewayRequestType>(
  request: OpenedGatewayRequest & { message: MessageOf<K> },
  body: GatewayResponseBody<K>,
  options: { signer: Signer; party?: Pick<Party, 'clock'> },
): Promise<{ message: ResponseTo<K>; raw: string }> {
  const type = gatewayExchanges[request.message.msg as K];
  const message = { msg: type, v: 1, rrpid: request.message.rrpid, time: messageTime(options.party), ...body } as unknown as ResponseTo<K>;
  return { message, raw: await sendSigned(message, options.signer, request.replyTo) };
}

/**
 * Merchant: opens the gateway's answer to `request`: sealed to the merchant,
 * signed by a gateway of the same acquirer, echoing RRPID (and XID where the
 * request had one). A protocol Error from the gateway is returned as such.
 */
export async function openGatewayResponse<K extends GatewayRequestType>(
  raw: unknown,
  options: { party: Party; merchant: MerchantKeys; request: MessageOf<K> },
): Promise<{ message: ResponseTo<K> | MessageOf<'Error'>; gateway: ValidatedCertificate }> {
  const expected = gatewayExchanges[options.request.msg as K];
  const { message, signer } = await receiveSigned(raw, {
    types: [expected, 'Error'] as const,
    party: options.party,
    signerRoles: ['gateway'],
    me: options.merchant.keyExchange,
  });
  const merchantAcquirer = readIdentity(options.merchant.signer.chain[0]!).acquirerId;
  if (signer.identity.acquirerId !== merchantAcquirer) throw new SetError('identity_mismatch', "The answer is not from this merchant's acquirer.");
  if (message.rrpid !== options.request.rrpid) throw new SetError('rrpid_mismatch', 'The answer is not for this request.');
  const requestXid = 'xid' in options.request ? options.request.xid : undefined;
  const responseXid = 'xid' in message ? message.xid : undefined;
  if (requestXid !== undefined && responseXid !== undefined && responseXid !== requestXid) throw new SetError('xid_mismatch', 'The answer is for another transaction.');
  return { message: message as ResponseTo<K> | MessageOf<'Error'>, gateway: signer };
}

// Authorization ----------------------------------------------------------------

/** Merchant: the AuthReq for a purchase it has opened, carrying PI (still sealed) and the OI hash. */
export function createAuthReq(
  purchase: OpenedPReq,
  options: { merchant: MerchantKeys; gateway: Recipient; captureNow?: boolean; storeInfoVersion?: number; party?: Pick<Party, 'clock'>; rrpid?: string },
): Promise<{ message: MessageOf<'AuthReq'>; raw: string }> {
  return createGatewayRequest(
    'AuthReq',
    {
      xid: purchase.oi.xid,
      amount: purchase.oi.amount,
      oiHash: purchase.oiHash,
      pi: purchase.message.pi,
      ...(purchase.message.dualSignature ? { dualSignature: purchase.message.dualSignature } : {}),
      captureNow: options.captureNow ?? false,
      ...(options.storeInfoVersion !== undefined ? { storeInfoVersion: options.storeInfoVersion } : {}),
    },
    options,
  );
}

/** What the gateway reads from PI once it has proven PI belongs to this very authorization. */
export interface VerifiedPaymentInstructions {
  pi: PaymentInstructions;
  /** The cardholder's certificate, when PI came with a dual signature. */
  cardholder?: ValidatedCertificate;
}

/**
 * Gateway: opens PI and proves it belongs to exactly this AuthReq — sealed to
 * this gateway, same XID, same amount, the signing merchant, and bound to the
 * OI the merchant holds (OI hash inside PI, or the dual signature).
 */
export async function verifyPaymentInstructions(
  request: OpenedGatewayRequest & { message: MessageOf<'AuthReq'> },
  options: { party: Party; gateway: KeyExchangeIdentity },
): Promise<VerifiedPaymentInstructions> {
  const authReq = request.message;
  const piText = await unseal(authReq.pi, options.gateway, options.party.maxMessageBytes);
  let value: unknown;
  try {
    value = JSON.parse(piText);
  } catch {
    throw new SetError('invalid_message', 'PI is not JSON.');
  }
  const parsed = paymentInstructionsSchema.safeParse(value);
  if (!parsed.success) throw new SetError('invalid_message', 'PI is not valid.');
  const pi = parsed.data;
  if (pi.gateway !== options.gateway.thumbprint) throw new SetError('wrong_gateway', 'PI names another gateway.');
  if (pi.xid !== authReq.xid) throw new SetError('xid_mismatch', 'PI belongs to another transaction.');
  if (pi.amount.value !== authReq.amount.value || pi.amount.currency !== authReq.amount.currency) {
    throw new SetError('amount_mismatch', 'The amount in PI is not the amount asked for.');
  }
  if (pi.merchant.acquirerId !== request.merchant.identity.acquirerId || pi.merchant.merchantNumber !== request.merchant.identity.merchantNumber) {
    throw new SetError('merchant_mismatch', 'PI is for another merchant.');
  }
  if (!sameString(pi.oiHash, authReq.oiHash)) throw new SetError('oi_hash_mismatch', 'PI is bound to other order information.');
  const result: VerifiedPaymentInstructions = { pi };
  if ((authReq.dualSignature === undefined) !== (pi.cardholder === undefined)) {
    throw new SetError('dual_signature_invalid', authReq.dualSignature ? 'PI names no cardholder certificate for this dual signature.' : 'PI expects a dual signature, and there is none.');
  }
  if (authReq.dualSignature) {
    const piHash = await sha256(utf8(piText));
    result.cardholder = await verifyDualSignature(authReq.dualSignature, { xid: authReq.xid, oiHash: authReq.oiHash, piHash }, options.party);
    if (result.cardholder.thumbprint !== pi.cardholder) throw new SetError('dual_signature_invalid', 'The dual signature is not by the cardholder PI names.');
  }
  return result;
}

