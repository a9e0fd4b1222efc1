/**
 * Negative tests of lib/set (and the lib/pki guards it relies on): every
 * message that is altered, swapped, replayed, late, early, misaddressed or
 * signed by the wrong certificate is refused with its own stable code. Each
 * test builds a legitimate exchange, changes exactly one thing, and asserts
 * the code — so each guard in the library is exercised on its own.
 */
import { CompactEncrypt, CompactSign } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ChainValidator,
  createCrl,
  createCsr,
  createHierarchy,
  generateKeyPair,
  initialCrls,
  InMemoryCrlStore,
  issueCertificate,
  PkiError,
  verifyCsr,
  x509,
  type CertificateAuthorityKey,
  type PkiErrorCode,
  type SetIdentity,
} from '@/lib/pki';
import { certificateSigningAlgorithm } from '@/lib/pki/algorithms';
import { identityExtension } from '@/lib/pki/identity';
import {
  base64UrlOf,
  createAuthReq,
  createCertReq,
  createCertRes,
  createGatewayRequest,
  createGatewayResponse,
  createKeyExchangeIdentity,
  createPInitReq,
  createPInitRes,
  createPReq,
  createPRes,
  createSigner,
  fromBase64Url,
  generatePosKeys,
  InMemoryReplayCache,
  openCertReq,
  openCertRes,
  openGatewayRequest,
  openGatewayResponse,
  openPInitReq,
  openPInitRes,
  openPReq,
  openPRes,
  randomId,
  receiveSigned,
  seal,
  sendSigned,
  sendUnsigned,
  SetError,
  sha256,
  signPayload,
  signWithBareKey,
  utf8,
  verifyPaymentInstructions,
  type CertReq,
  type MerchantKeys,
  type MessageOf,
  type OpenedGatewayRequest,
  type OpenedPReq,
  type Party,
  type PaymentAccount,
  type PaymentInstructions,
  type PInitRes,
  type PReq,
  type Signer,
} from '@/lib/set';
import { createWorld, type World } from '@/lib/set/testing/world';

const DAY = 86_400_000;
const SKEW_MS = 300_000;
const card: PaymentAccount = { kind: 'card', pan: '4111111111111111', expiry: '2030-12', cvc: '123' };
const amount = { value: 12_800, currency: 'JPY' };

/** Awaits `promise` and asserts that it was refused with a SetError of exactly `code`. */
async function refused(promise: Promise<unknown>, code: string): Promise<SetError> {
  const error = await promise.then(
    (value: unknown) => {
      throw new Error(`expected a refusal with ${code}, but it was accepted: ${JSON.stringify(value)?.slice(0, 200)}`);
    },
    (caught: unknown) => caught,
  );
  expect(error, String(error)).toBeInstanceOf(SetError);
  expect(error).toMatchObject({ code });
  return error as SetError;
}

/** Same, for the lib/pki functions that are called directly and throw a PkiError. */
async function refusedByPki(promise: Promise<unknown>, code: PkiErrorCode): Promise<void> {
  const error = await promise.then(
    () => {
      throw new Error(`expected a refusal with ${code}, but it was accepted`);
    },
    (caught: unknown) => caught,
  );
  expect(error, String(error)).toBeInstanceOf(PkiError);
  expect(error).toMatchObject({ code });
}

const b64 = (text: string) => base64UrlOf(utf8(text));
/** A PReq as the wallet sends it (typed, so that a misspelt field is a compile error). */
const unsignedPReq = (message: PReq) => sendUnsigned(message);

/** Flips one bit in the middle of segment `index` of a compact JWS/JWE (decoded bytes, re-encoded canonically). */
function tamperSegment(token: string, index: number): string {
  const parts = token.split('.');
  const bytes = fromBase64Url(parts[index]!);
  const at = Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0x01;
  parts[index] = base64UrlOf(bytes);
  return parts.join('.');
}

function asAuthReq(opened: OpenedGatewayRequest): OpenedGatewayRequest & { message: MessageOf<'AuthReq'> } {
  if (opened.message.msg !== 'AuthReq') throw new Error(`expected an AuthReq, got ${opened.message.msg}`);
  return { ...opened, message: opened.message };
}

describe('SET negative cases', () => {
  let world: World;
  let base: Date;
  /** Message builders take their time from the world's clock, so tests can move it. */
  let at: { clock: () => Date };
  let merchantRef: { acquirerId: string; merchantNumber: string };

  beforeAll(async () => {
    world = await createWorld();
    base = world.clock.now;
    at = { clock: world.clock };
    merchantRef = { acquirerId: world.merchant.acquirerId, merchantNumber: world.merchant.merchantNumber };
  }, 60_000);

  afterEach(() => {
    world.clock.now = base;
  });

  const visa = () => world.hierarchy.brands.VISA!;
  /** The issuer and the brand CA above it: a chain as x5c carries it (root left out). */
  const above = (issuer: CertificateAuthorityKey) => [issuer.certificate, visa().brandCa.certificate];

  async function leafSigner(issuer: CertificateAuthorityKey, identity: SetIdentity, validity?: { notBefore?: Date; notAfter?: Date }): Promise<Signer> {
    const keys = await generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' });
    const certificate = await world.issueLeaf(issuer, { ...identity, usage: 'signature' }, keys.publicKey, validity);
    return createSigner(keys.privateKey, [certificate, ...above(issuer)]);
  }

  /** A second POS certified outside CertReq (for merchants other than the world's). */
  async function otherMerchant(identity: { acquirerId: string; merchantNumber: string; posId: string }): Promise<MerchantKeys> {
    const [signatureKeys, keyExchangeKeys] = await Promise.all([
      generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' }),
      generateKeyPair({ algorithm: world.algorithm, purpose: 'keyExchange' }),
    ]);
    const merchantCa = visa().merchantCa;
    const signature = await world.issueLeaf(merchantCa, { role: 'merchant', usage: 'signature', ...identity }, signatureKeys.publicKey);
    const keyExchange = await world.issueLeaf(merchantCa, { role: 'merchant', usage: 'keyExchange', ...identity }, keyExchangeKeys.publicKey);
    return {
      signer: await createSigner(signatureKeys.privateKey, [signature, ...above(merchantCa)]),
      keyExchange: await createKeyExchangeIdentity(keyExchangeKeys.privateKey, [keyExchange, ...above(merchantCa)]),
    };
  }

  function partyWith(crls: InMemoryCrlStore): Party {
    return {
      validator: new ChainValidator({ trustAnchors: [world.hierarchy.root.certificate], crls, clock: world.clock }),
      replayCache: new InMemoryReplayCache(world.clock),
      clock: world.clock,
    };
  }

  async function genuineCrls(): Promise<InMemoryCrlStore> {
    const store = new InMemoryCrlStore();
    for (const crl of await initialCrls(world.hierarchy, { thisUpdate: new Date(base.getTime() - DAY), nextUpdate: new Date(base.getTime() + 7 * DAY) })) store.put(crl);
    return store;
  }

  /** PInitReq → PInitRes, as the wallet and the merchant see them. */
  async function pInit(options: { signer?: Signer; gatewayKeyExchange?: string[]; merchant?: { acquirerId: string; merchantNumber: string }; time?: Date } = {}) {
    const merchant = world.party();
    const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
    const initReq = await openPInitReq(init.raw, merchant);
    const initRes = await createPInitRes({
      request: initReq,
      amount,
      merchant: options.merchant ?? merchantRef,
      gatewayKeyExchange: options.gatewayKeyExchange ?? world.gateways.a.keyExchange.x5c,
      signer: options.signer ?? world.merchant.signer,
      party: options.time ? { clock: () => options.time! } : at,
    });
    return { merchant, init, initRes };
  }

  /** A whole purchase up to the merchant having opened PReq. */
  async function purchase(options: { cardholder?: boolean; account?: PaymentAccount } = {}) {
    const wallet = world.party();
    const { merchant, init, initRes } = await pInit();
    const opened = await openPInitRes(initRes.raw, { party: wallet, request: init.message });
    const preq = await createPReq({
      init: opened,
      request: init.message,
      orderDescription: '2 × green tea, 1 × teapot',
      account: options.account ?? card,
      ...(options.cardholder ? { cardholder: world.cardholder } : {}),
      party: at,
    });
    const atMerchant = await openPReq(preq.raw, { party: merchant, init: initRes.message });
    return { wallet, merchant, init, initRes, opened, preq, atMerchant };
  }

  async function authorize(atMerchant: OpenedPReq, options: { gatewayParty?: Party } = {}) {
    const authReq = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at });
    const gatewayParty = options.gatewayParty ?? world.party();
    const atGateway = asAuthReq(await openGatewayRequest(authReq.raw, { party: gatewayParty, gateway: world.gateways.a.keyExchange }));
    return { authReq, gatewayParty, atGateway };
  }

  /** An AuthReq from the world's merchant carrying a hand-made PI (sealed to gateway A unless told otherwise). */
  async function authReqWithPi(piOverrides: Partial<PaymentInstructions>, options: { sealTo?: World['gateways']['a']['recipient'] } = {}) {
    const xid = randomId();
    const oiHash = await sha256(utf8(randomId()));
    const pi: PaymentInstructions = { xid, amount, brand: 'VISA', merchant: merchantRef, gateway: world.gateways.a.keyExchange.thumbprint, oiHash, account: card, ...piOverrides };
    const sealed = await seal(JSON.stringify(pi), options.sealTo ?? world.gateways.a.recipient);
    const sent = await createGatewayRequest('AuthReq', { xid, amount, oiHash, pi: sealed, captureNow: false }, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at });
    const gatewayParty = world.party();
    const atGateway = asAuthReq(await openGatewayRequest(sent.raw, { party: gatewayParty, gateway: world.gateways.a.keyExchange }));
    return verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
  }

  // --- Order information and payment instructions ---------------------------------

  describe('OI and PI binding', () => {
    it('control: an unaltered purchase is authorised (so the refusals below are caused by the one change each makes)', async () => {
      const { atMerchant } = await purchase({ cardholder: true });
      const { atGateway, gatewayParty } = await authorize(atMerchant);
      const verified = await verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
      expect(verified.pi.account).toEqual(card);
      expect(verified.cardholder?.identity.role).toBe('cardholder');
    });

    it('altered OI at the merchant: OI bytes changed under a dual signature → oi_hash_mismatch', async () => {
      const { preq, initRes, merchant } = await purchase({ cardholder: true });
      const oi = { ...preq.oi, odHash: await sha256(utf8('1 × teapot')) };
      const altered = unsignedPReq({ ...preq.message, rrpid: randomId(), oi: b64(JSON.stringify(oi)) });
      await refused(openPReq(altered, { party: merchant, init: initRes.message }), 'oi_hash_mismatch');
    });

    it('altered OI at the gateway: AuthReq oiHash differs from the one inside PI → oi_hash_mismatch', async () => {
      const { atMerchant } = await purchase();
      const { atGateway, gatewayParty } = await authorize({ ...atMerchant, oiHash: await sha256(utf8('other order information')) });
      await refused(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'oi_hash_mismatch');
    });

    it('altered OI without a dual signature passes the merchant, but the gateway refuses it (oi_hash_mismatch)', async () => {
      const { preq, initRes, merchant } = await purchase();
      // The order description hash is the one OI field the merchant has nothing to compare with.
      const oi = { ...preq.oi, odHash: await sha256(utf8('a different order description')) };
      const opened = await openPReq(unsignedPReq({ ...preq.message, rrpid: randomId(), oi: b64(JSON.stringify(oi)) }), { party: merchant, init: initRes.message });
      const { atGateway, gatewayParty } = await authorize(opened);
      await refused(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'oi_hash_mismatch');
    });

    it('altered PI amount: AuthReq amount differs from the amount in PI → amount_mismatch', async () => {
      const { atMerchant } = await purchase();
      const { atGateway, gatewayParty } = await authorize({ ...atMerchant, oi: { ...atMerchant.oi, amount: { value: 128_000, currency: 'JPY' } } });
      await refused(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'amount_mismatch');
    });

    it('altered amount in OI: the wallet states another amount than PInitRes fixed → amount_mismatch', async () => {
      const wallet = world.party();
      const { merchant, init, initRes } = await pInit();
      const opened = await openPInitRes(initRes.raw, { party: wallet, request: init.message });
      const cheaper = { ...opened, message: { ...opened.message, amount: { value: 1, currency: 'JPY' } } };
      const preq = await createPReq({ init: cheaper, request: init.message, orderDescription: 'tea', account: card, party: at });
      await refused(openPReq(preq.raw, { party: merchant, init: initRes.message }), 'amount_mismatch');
    });

    it('PI swapped between two transactions → xid_mismatch', async () => {
      const first = await purchase();
      const second = await purchase();
      const swapped = { ...first.atMerchant, message: { ...first.atMerchant.message, pi: second.atMerchant.message.pi } };
      const { atGateway, gatewayParty } = await authorize(swapped);
      await refused(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'xid_mismatch');
    });

    it('PI replaced by the merchant with another card (same XID, amount and OI hash) under a dual signature → dual_signature_invalid', async () => {
      const { atMerchant } = await purchase({ cardholder: true });
      const forged: PaymentInstructions = {
        xid: atMerchant.oi.xid,
        amount: atMerchant.oi.amount,
        brand: 'VISA',
        merchant: merchantRef,
        gateway: world.gateways.a.keyExchange.thumbprint,
        oiHash: atMerchant.oiHash,
        account: { kind: 'card', pan: '4000000000000002', expiry: '2031-01', cvc: '999' },
      };
      const pi = await seal(JSON.stringify(forged), world.gateways.a.recipient);
      const { atGateway, gatewayParty } = await authorize({ ...atMerchant, message: { ...atMerchant.message, pi } });
      await refused(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'dual_signature_invalid');
    });

    it('PI sealed to gateway A, opened by gateway B → not_for_this_recipient', async () => {
      const { atMerchant } = await purchase();
      const merchantB = await otherMerchant({ acquirerId: 'ACQ-B', merchantNumber: 'M-0001', posId: 'pos-1' });
      const sent = await createAuthReq(atMerchant, { merchant: merchantB, gateway: world.gateways.b.recipient, party: at });
      const gatewayParty = world.party();
      const atGatewayB = asAuthReq(await openGatewayRequest(sent.raw, { party: gatewayParty, gateway: world.gateways.b.keyExchange }));
      await refused(verifyPaymentInstructions(atGatewayB, { party: gatewayParty, gateway: world.gateways.b.keyExchange }), 'not_for_this_recipient');
    });

    it('PI sealed to gateway A but naming gateway B → wrong_gateway', async () => {
      await refused(authReqWithPi({ gateway: world.gateways.b.keyExchange.thumbprint }), 'wrong_gateway');
    });

    it('PI for another merchant → merchant_mismatch', async () => {
      await refused(authReqWithPi({ merchant: { acquirerId: 'ACQ-A', merchantNumber: 'M-0666' } }), 'merchant_mismatch');
    });

    it('PI that is not valid payment instructions → invalid_message', async () => {
      await refused(authReqWithPi({ account: { kind: 'card', pan: 'not a number', expiry: '2030-12', cvc: '123' } }), 'invalid_message');
    });

    it('PReq whose XID is not the one PInitRes gave → xid_mismatch', async () => {
      const { preq, merchant } = await purchase();
      const other = await pInit();
      await refused(openPReq(unsignedPReq({ ...preq.message, rrpid: randomId() }), { party: merchant, init: other.initRes.message }), 'xid_mismatch');
    });

    it('OI that does not echo the merchant challenge → challenge_mismatch', async () => {
      const wallet = world.party();
      const { merchant, init, initRes } = await pInit();
      const opened = await openPInitRes(initRes.raw, { party: wallet, request: init.message });
      const preq = await createPReq({ init: { ...opened, message: { ...opened.message, challM: randomId() } }, request: init.message, orderDescription: 'tea', account: card, party: at });
      await refused(openPReq(preq.raw, { party: merchant, init: initRes.message }), 'challenge_mismatch');
    });

    it('OI that is not base64url JSON → invalid_message', async () => {
      const { preq, initRes, merchant } = await purchase();
      await refused(openPReq(unsignedPReq({ ...preq.message, rrpid: randomId(), oi: b64('{"xid":') }), { party: merchant, init: initRes.message }), 'invalid_message');
    });
  });

  // --- Dual signature -------------------------------------------------------------

  describe('dual signature', () => {
    it('over other PI (the PI hash in PReq changed) → dual_signature_invalid', async () => {
      const { preq, initRes, merchant } = await purchase({ cardholder: true });
      const altered = unsignedPReq({ ...preq.message, rrpid: randomId(), piHash: await sha256(utf8('other PI')) });
      await refused(openPReq(altered, { party: merchant, init: initRes.message }), 'dual_signature_invalid');
    });

    it('made with another key under the cardholder certificate → dual_signature_invalid', async () => {
      const { preq, initRes, merchant } = await purchase({ cardholder: true });
      const intruder = await generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' });
      const payload = JSON.stringify({ xid: preq.message.xid, oiHash: await sha256(fromBase64Url(preq.message.oi)), piHash: preq.message.piHash });
      const dualSignature = await signPayload(payload, { ...world.cardholder, privateKey: intruder.privateKey });
      await refused(openPReq(unsignedPReq({ ...preq.message, rrpid: randomId(), dualSignature }), { party: merchant, init: initRes.message }), 'dual_signature_invalid');
    });

    it('for another transaction → xid_mismatch', async () => {
      const { preq, initRes, merchant } = await purchase({ cardholder: true });
      const payload = JSON.stringify({ xid: randomId(), oiHash: await sha256(fromBase64Url(preq.message.oi)), piHash: preq.message.piHash });
      const dualSignature = await signPayload(payload, world.cardholder);
      await refused(openPReq(unsignedPReq({ ...preq.message, rrpid: randomId(), dualSignature }), { party: merchant, init: initRes.message }), 'xid_mismatch');
    });

    it('by a merchant certificate instead of a cardholder one → unexpected_role', async () => {
      const { preq, initRes, merchant } = await purchase({ cardholder: true });
      const payload = JSON.stringify({ xid: preq.message.xid, oiHash: await sha256(fromBase64Url(preq.message.oi)), piHash: preq.message.piHash });
      const dualSignature = await signPayload(payload, world.merchant.signer);
      await refused(openPReq(unsignedPReq({ ...preq.message, rrpid: randomId(), dualSignature }), { party: merchant, init: initRes.message }), 'unexpected_role');
    });

    it('at the gateway, over another PI hash than the PI it opens → dual_signature_invalid', async () => {
      const { atMerchant } = await purchase({ cardholder: true });
      const dualSignature = await signPayload(JSON.stringify({ xid: atMerchant.oi.xid, oiHash: atMerchant.oiHash, piHash: await sha256(utf8('other PI')) }), world.cardholder);
      const { atGateway, gatewayParty } = await authorize({ ...atMerchant, message: { ...atMerchant.message, dualSignature } });
      await refused(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'dual_signature_invalid');
    });

    it('at the gateway, a dual signature swapped for one by another cardholder over the same hashes → dual_signature_invalid', async () => {
      const { atMerchant } = await purchase({ cardholder: true });
      const { piHash } = atMerchant.message;
      const otherKeys = await generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' });
      const otherCertificate = await world.issueLeaf(world.hierarchy.brands.VISA!.cardholderCa, { role: 'cardholder', usage: 'signature' }, otherKeys.publicKey);
      const intruder = await createSigner(otherKeys.privateKey, [otherCertificate, ...world.cardholder.chain.slice(1)]);
      const dualSignature = await signPayload(JSON.stringify({ xid: atMerchant.oi.xid, oiHash: atMerchant.oiHash, piHash }), intruder);
      const { atGateway, gatewayParty } = await authorize({ ...atMerchant, message: { ...atMerchant.message, dualSignature } });
      await refused(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'dual_signature_invalid');
    });

    it('at the gateway, the dual signature stripped from a purchase whose PI expects one → dual_signature_invalid', async () => {
      const { atMerchant } = await purchase({ cardholder: true });
      const { dualSignature: _stripped, piHash: _hash, ...unsigned } = atMerchant.message;
      const { atGateway, gatewayParty } = await authorize({ ...atMerchant, message: unsigned });
      await refused(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'dual_signature_invalid');
    });

    it('a PI hash without a dual signature → invalid_message', async () => {
      const { preq, initRes, merchant } = await purchase({ cardholder: true });
      const { dualSignature: _dropped, ...rest } = preq.message;
      await refused(openPReq(unsignedPReq({ ...rest, rrpid: randomId() }), { party: merchant, init: initRes.message }), 'invalid_message');
    });
  });

  // --- Echoes: RRPID, XID, challenges ------------------------------------------------

  describe('echoes', () => {
    it('OI naming another order than the one PInitReq asked for → invalid_message', async () => {
      const { preq, initRes, merchant } = await purchase();
      const oi = { ...JSON.parse(new TextDecoder().decode(fromBase64Url(preq.message.oi))), orderRef: 'order-9999' };
      await refused(openPReq(unsignedPReq({ ...preq.message, rrpid: randomId(), oi: b64(JSON.stringify(oi)) }), { party: merchant, init: initRes.message }), 'invalid_message');
    });


    it('PInitRes with another Chall-C → challenge_mismatch', async () => {
      const merchant = world.party();
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      const initReq = await openPInitReq(init.raw, merchant);
      const initRes = await createPInitRes({ request: { ...initReq, challC: randomId() }, amount, merchant: merchantRef, gatewayKeyExchange: world.gateways.a.keyExchange.x5c, signer: world.merchant.signer, party: at });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'challenge_mismatch');
    });

    it('PInitRes for another PInitReq → rrpid_mismatch', async () => {
      const { initRes } = await pInit();
      const other = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: other.message }), 'rrpid_mismatch');
    });

    it('PRes with another Chall-C → challenge_mismatch', async () => {
      const { preq, atMerchant, opened, wallet } = await purchase();
      const pres = await createPRes({ preq: { ...atMerchant, oi: { ...atMerchant.oi, challC: randomId() } }, result: { status: 'approved', code: 'approved' }, signer: world.merchant.signer, party: at });
      await refused(openPRes(pres.raw, { party: wallet, preq: preq.message, oi: preq.oi, merchant: opened.merchant }), 'challenge_mismatch');
    });

    it('PRes for another transaction → xid_mismatch', async () => {
      const { preq, atMerchant, opened, wallet } = await purchase();
      const pres = await createPRes({ preq: { ...atMerchant, oi: { ...atMerchant.oi, xid: randomId() } }, result: { status: 'approved', code: 'approved' }, signer: world.merchant.signer, party: at });
      await refused(openPRes(pres.raw, { party: wallet, preq: preq.message, oi: preq.oi, merchant: opened.merchant }), 'xid_mismatch');
    });

    it('PRes for another PReq → rrpid_mismatch', async () => {
      const { preq, atMerchant, opened, wallet } = await purchase();
      const pres = await createPRes({ preq: { ...atMerchant, message: { ...atMerchant.message, rrpid: randomId() } }, result: { status: 'approved', code: 'approved' }, signer: world.merchant.signer, party: at });
      await refused(openPRes(pres.raw, { party: wallet, preq: preq.message, oi: preq.oi, merchant: opened.merchant }), 'rrpid_mismatch');
    });

    it('PRes signed by another merchant certificate than PInitRes → identity_mismatch', async () => {
      const { preq, atMerchant, opened, wallet } = await purchase();
      const other = await otherMerchant({ acquirerId: 'ACQ-A', merchantNumber: 'M-0002', posId: 'pos-1' });
      const pres = await createPRes({ preq: atMerchant, result: { status: 'approved', code: 'approved' }, signer: other.signer, party: at });
      await refused(openPRes(pres.raw, { party: wallet, preq: preq.message, oi: preq.oi, merchant: opened.merchant }), 'identity_mismatch');
    });

    it('AuthRes with another RRPID → rrpid_mismatch', async () => {
      const { atMerchant } = await purchase();
      const { authReq, atGateway } = await authorize(atMerchant);
      const reply = await createGatewayResponse(
        { ...atGateway, message: { ...atGateway.message, rrpid: randomId() } },
        { xid: atGateway.message.xid, amount, result: { status: 'approved', code: 'approved', authCode: 'A1B2C3' }, captured: false },
        { signer: world.gateways.a.signer, party: at },
      );
      await refused(openGatewayResponse(reply.raw, { party: world.party(), merchant: world.merchant, request: authReq.message }), 'rrpid_mismatch');
    });

    it('AuthRes for another XID → xid_mismatch', async () => {
      const { atMerchant } = await purchase();
      const { authReq, atGateway } = await authorize(atMerchant);
      const reply = await createGatewayResponse(atGateway, { xid: randomId(), amount, result: { status: 'approved', code: 'approved', authCode: 'A1B2C3' }, captured: false }, { signer: world.gateways.a.signer, party: at });
      await refused(openGatewayResponse(reply.raw, { party: world.party(), merchant: world.merchant, request: authReq.message }), 'xid_mismatch');
    });
  });

  // --- Who signed, whom it is for -----------------------------------------------------

  describe('identities and roles', () => {
    it('AuthRes signed by the gateway of another acquirer → identity_mismatch', async () => {
      const { atMerchant } = await purchase();
      const { authReq, atGateway } = await authorize(atMerchant);
      const reply = await createGatewayResponse(atGateway, { xid: atGateway.message.xid, amount, result: { status: 'approved', code: 'approved', authCode: 'A1B2C3' }, captured: false }, { signer: world.gateways.b.signer, party: at });
      await refused(openGatewayResponse(reply.raw, { party: world.party(), merchant: world.merchant, request: authReq.message }), 'identity_mismatch');
    });

    it("a merchant's key-exchange chain naming another merchant → identity_mismatch", async () => {
      const other = await otherMerchant({ acquirerId: 'ACQ-A', merchantNumber: 'M-0002', posId: 'pos-1' });
      const sent = await createGatewayRequest('InqReq', { xid: randomId() }, { merchant: { signer: world.merchant.signer, keyExchange: other.keyExchange }, gateway: world.gateways.a.recipient, party: at });
      await refused(openGatewayRequest(sent.raw, { party: world.party(), gateway: world.gateways.a.keyExchange }), 'identity_mismatch');
    });

    it("PInitRes offering the gateway of another acquirer than the merchant's → identity_mismatch", async () => {
      const { init, initRes } = await pInit({ gatewayKeyExchange: world.gateways.b.keyExchange.x5c });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'identity_mismatch');
    });

    it('PInitRes naming another merchant than its signer → merchant_mismatch', async () => {
      const { init, initRes } = await pInit({ merchant: { acquirerId: 'ACQ-A', merchantNumber: 'M-0666' } });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'merchant_mismatch');
    });

    it('a gateway certificate where a merchant is expected → unexpected_role', async () => {
      const { init, initRes } = await pInit({ signer: world.gateways.a.signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'unexpected_role');
    });

    it("a merchant's key-exchange chain offered as the gateway's → unexpected_role", async () => {
      const { init, initRes } = await pInit({ gatewayKeyExchange: world.merchant.keyExchange.x5c });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'unexpected_role');
    });

    it("the gateway's signature chain offered as its key-exchange chain → wrong_key_usage", async () => {
      const { init, initRes } = await pInit({ gatewayKeyExchange: world.gateways.a.signer.x5c });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'wrong_key_usage');
    });

    it('a JWS whose x5c leaf is a key-exchange certificate → wrong_key_usage', async () => {
      const signer = await createSigner(world.merchant.signer.privateKey, world.merchant.keyExchange.chain);
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'wrong_key_usage');
    });

    it('a JWS whose x5c leaf is a CA certificate → wrong_key_usage', async () => {
      const merchantCa = visa().merchantCa;
      const signer = await createSigner(merchantCa.privateKey, above(merchantCa));
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'wrong_key_usage');
    });
  });

  // --- Sealing ----------------------------------------------------------------------

  describe('sealed envelopes', () => {
    it('an AuthReq sealed to gateway B, opened by gateway A → not_for_this_recipient', async () => {
      const { atMerchant } = await purchase();
      const sent = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.b.recipient, party: at });
      await refused(openGatewayRequest(sent.raw, { party: world.party(), gateway: world.gateways.a.keyExchange }), 'not_for_this_recipient');
    });

    it("a JWE encrypted to A's key but naming B's kid → not_for_this_recipient", async () => {
      const jws = await sendSigned({ msg: 'InqReq', v: 1, rrpid: randomId(), time: base.toISOString(), merchantKeyExchange: world.merchant.keyExchange.x5c, xid: randomId() } as never, world.merchant.signer);
      const sealed = await seal(jws, { ...world.gateways.a.recipient, kid: world.gateways.b.keyExchange.thumbprint });
      await refused(openGatewayRequest(sealed, { party: world.party(), gateway: world.gateways.a.keyExchange }), 'not_for_this_recipient');
    });

    it("a JWE naming A's kid but encrypted to B's key → decryption_failed", async () => {
      const { atMerchant } = await purchase();
      const sent = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: { ...world.gateways.b.recipient, kid: world.gateways.a.keyExchange.thumbprint }, party: at });
      await refused(openGatewayRequest(sent.raw, { party: world.party(), gateway: world.gateways.a.keyExchange }), 'decryption_failed');
    });

    it.each([
      ['ciphertext', 3],
      ['authentication tag', 4],
      ['initialisation vector', 2],
    ])('a JWE whose %s was tampered with → decryption_failed', async (_name, segment) => {
      const { atMerchant } = await purchase();
      const sent = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at });
      await refused(openGatewayRequest(tamperSegment(sent.raw, segment), { party: world.party(), gateway: world.gateways.a.keyExchange }), 'decryption_failed');
    });

    it('a JWE with another key-management algorithm than the recipient uses → unsupported_algorithm', async () => {
      const isEc = world.gateways.a.keyExchange.alg === 'ECDH-ES';
      const other = await generateKeyPair({ algorithm: isEc ? 'RSA-2048' : 'P-256', purpose: 'keyExchange' });
      const sealed = await new CompactEncrypt(utf8('{}'))
        .setProtectedHeader({ alg: isEc ? 'RSA-OAEP-256' : 'ECDH-ES', enc: 'A256GCM', kid: world.gateways.a.keyExchange.thumbprint, typ: 'set+jwe' })
        .encrypt(other.publicKey);
      await refused(openGatewayRequest(sealed, { party: world.party(), gateway: world.gateways.a.keyExchange }), 'unsupported_algorithm');
    });

    it('a JWE without the SET type → malformed_message', async () => {
      const recipient = world.gateways.a.recipient;
      const sealed = await new CompactEncrypt(utf8('{}')).setProtectedHeader({ alg: recipient.alg, enc: 'A256GCM', kid: recipient.kid }).encrypt(recipient.publicKey);
      await refused(openGatewayRequest(sealed, { party: world.party(), gateway: world.gateways.a.keyExchange }), 'malformed_message');
    });

    it('a signed but unsealed request where a sealed one is expected → malformed_message', async () => {
      const { atMerchant } = await purchase();
      const sent = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at });
      const jws = await sendSigned(sent.message, world.merchant.signer);
      await refused(openGatewayRequest(jws, { party: world.party(), gateway: world.gateways.a.keyExchange }), 'malformed_message');
    });
  });

  // --- Signatures ------------------------------------------------------------------------

  describe('signatures', () => {
    it('a JWS with one signature byte changed → signature_invalid', async () => {
      const { init, initRes } = await pInit();
      await refused(openPInitRes(tamperSegment(initRes.raw, 2), { party: world.party(), request: init.message }), 'signature_invalid');
    });

    it("a JWS whose payload was swapped for another of the same signer's → signature_invalid", async () => {
      const first = await pInit();
      const second = await pInit();
      const [header, , signature] = first.initRes.raw.split('.');
      const spliced = [header, second.initRes.raw.split('.')[1], signature].join('.');
      await refused(openPInitRes(spliced, { party: world.party(), request: second.init.message }), 'signature_invalid');
    });

    it("a JWS signed with another key under the merchant's certificate → signature_invalid", async () => {
      const intruder = await generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' });
      const { init, initRes } = await pInit({ signer: { ...world.merchant.signer, privateKey: intruder.privateKey } });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'signature_invalid');
    });

    it('a JWS with alg "none" → unsupported_algorithm', async () => {
      const { init, initRes } = await pInit();
      const payload = initRes.raw.split('.')[1]!;
      const unsigned = `${b64(JSON.stringify({ alg: 'none', typ: 'set+jws', x5c: world.merchant.signer.x5c }))}.${payload}.AAAA`;
      await refused(openPInitRes(unsigned, { party: world.party(), request: init.message }), 'unsupported_algorithm');
    });

    it("a JWS claiming another algorithm than its certificate's key → unsupported_algorithm", async () => {
      const { init, initRes } = await pInit();
      const otherAlg = world.merchant.signer.alg === 'PS256' ? 'ES256' : 'PS256';
      const other = await generateKeyPair({ algorithm: otherAlg === 'ES256' ? 'P-256' : 'RSA-2048', purpose: 'signature' });
      const jws = await new CompactSign(fromBase64Url(initRes.raw.split('.')[1]!)).setProtectedHeader({ alg: otherAlg, typ: 'set+jws', x5c: world.merchant.signer.x5c }).sign(other.privateKey);
      await refused(openPInitRes(jws, { party: world.party(), request: init.message }), 'unsupported_algorithm');
    });

    it('a JWS without the SET type → malformed_message', async () => {
      const { init, initRes } = await pInit();
      const signer = world.merchant.signer;
      const jws = await new CompactSign(fromBase64Url(initRes.raw.split('.')[1]!)).setProtectedHeader({ alg: signer.alg, typ: 'JWT', x5c: signer.x5c }).sign(signer.privateKey);
      await refused(openPInitRes(jws, { party: world.party(), request: init.message }), 'malformed_message');
    });

    it('a JWS without a certificate chain (x5c) → malformed_message', async () => {
      const { init, initRes } = await pInit();
      const jws = await signWithBareKey(JSON.stringify(initRes.message), world.merchant.signer.privateKey, world.merchant.signer.alg);
      await refused(openPInitRes(jws, { party: world.party(), request: init.message }), 'malformed_message');
    });
  });

  // --- Certificates and CRLs ---------------------------------------------------------------

  describe('certificates and CRLs', () => {
    const merchantIdentity = { role: 'merchant', acquirerId: 'ACQ-A', merchantNumber: 'M-0001', posId: 'pos-1' } as const;

    it('an expired signer certificate → certificate_expired', async () => {
      const signer = await leafSigner(visa().merchantCa, merchantIdentity, { notBefore: new Date(base.getTime() - 12 * 3_600_000), notAfter: new Date(base.getTime() - 3_600_000) });
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'certificate_expired');
    });

    it('a signer certificate not valid yet → certificate_not_yet_valid', async () => {
      const signer = await leafSigner(visa().merchantCa, merchantIdentity, { notBefore: new Date(base.getTime() + 3_600_000) });
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'certificate_not_yet_valid');
    });

    it('a revoked signer certificate → certificate_revoked (accepted before the revocation)', async () => {
      const signer = await leafSigner(visa().merchantCa, merchantIdentity);
      const first = await pInit({ signer });
      const wallet = world.party();
      await expect(openPInitRes(first.initRes.raw, { party: wallet, request: first.init.message })).resolves.toMatchObject({ message: { msg: 'PInitRes' } });
      await world.revoke(visa().merchantCa, signer.chain[0]!);
      const second = await pInit({ signer });
      await refused(openPInitRes(second.initRes.raw, { party: wallet, request: second.init.message }), 'certificate_revoked');
    });

    it('a chain to an unknown root → untrusted_root', async () => {
      const rogue = await createHierarchy({ brands: ['VISA'], organization: 'Rogue PKI', notBefore: new Date(base.getTime() - DAY), notAfter: new Date(base.getTime() + 30 * DAY) });
      const keys = await generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' });
      const rogueCa = rogue.brands.VISA!.merchantCa;
      const leaf = await issueCertificate({ issuer: rogueCa, publicKey: keys.publicKey, subject: { commonName: 'Test Shop' }, identity: { ...merchantIdentity, usage: 'signature' }, notBefore: new Date(base.getTime() - DAY), notAfter: new Date(base.getTime() + DAY) });
      const signer = await createSigner(keys.privateKey, [leaf, rogueCa.certificate, rogue.brands.VISA!.brandCa.certificate, rogue.root.certificate]);
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'untrusted_root');
    });

    it('a look-alike hierarchy whose root has the trusted root’s name → certificate_signature_invalid', async () => {
      const lookAlike = await createHierarchy({ brands: ['VISA'], notBefore: new Date(base.getTime() - DAY), notAfter: new Date(base.getTime() + 30 * DAY) });
      expect(lookAlike.root.certificate.subject).toBe(world.hierarchy.root.certificate.subject);
      const keys = await generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' });
      const fakeCa = lookAlike.brands.VISA!.merchantCa;
      const leaf = await issueCertificate({ issuer: fakeCa, publicKey: keys.publicKey, subject: { commonName: 'Test Shop' }, identity: { ...merchantIdentity, usage: 'signature' }, notBefore: new Date(base.getTime() - DAY), notAfter: new Date(base.getTime() + DAY) });
      const signer = await createSigner(keys.privateKey, [leaf, fakeCa.certificate, lookAlike.brands.VISA!.brandCa.certificate]);
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'certificate_signature_invalid');
    });

    it('a chain missing its brand CA → chain_incomplete', async () => {
      const signer = await createSigner(world.merchant.signer.privateKey, world.merchant.signer.chain.slice(0, 2));
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'chain_incomplete');
    });

    it('a chain with a gap (merchant CA left out) → chain_incomplete', async () => {
      const [leaf, , brandCa] = world.merchant.signer.chain;
      const signer = await createSigner(world.merchant.signer.privateKey, [leaf!, brandCa!]);
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'chain_incomplete');
    });

    it('a chain of more than five certificates → chain_too_long', async () => {
      const root = world.hierarchy.root.certificate;
      const signer = await createSigner(world.merchant.signer.privateKey, [...world.merchant.signer.chain, root, root, root]);
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'chain_too_long');
    });

    /** A certificate made by hand with the CA's key, bypassing issueCertificate's own checks, as a misbehaving CA would. */
    async function forged(issuer: { certificate: x509.X509Certificate; privateKey: CryptoKey }, identity: SetIdentity) {
      const keys = await generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' });
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: '01' + Array.from(globalThis.crypto.getRandomValues(new Uint8Array(15)), (byte) => byte.toString(16).padStart(2, '0')).join(''),
        subject: 'CN=Forged',
        issuer: issuer.certificate.subjectName,
        notBefore: new Date(base.getTime() - DAY),
        notAfter: new Date(base.getTime() + DAY),
        publicKey: keys.publicKey,
        signingKey: issuer.privateKey,
        signingAlgorithm: certificateSigningAlgorithm(issuer.privateKey),
        extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true), identityExtension(identity)],
      });
      return { certificate, privateKey: keys.privateKey };
    }

    it('a certificate issued by a leaf (not a CA) → issuer_not_ca', async () => {
      const leaf = await forged({ certificate: world.merchant.signer.chain[0]!, privateKey: world.merchant.signer.privateKey }, { ...merchantIdentity, usage: 'signature', brand: 'VISA' });
      const signer = await createSigner(leaf.privateKey, [leaf.certificate, ...world.merchant.signer.chain]);
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'issuer_not_ca');
    });

    it('a gateway certificate made by the merchant CA → issuer_not_allowed at validation', async () => {
      const leaf = await forged(visa().merchantCa, { role: 'gateway', usage: 'signature', brand: 'VISA', acquirerId: 'ACQ-A' });
      const signer = await createSigner(leaf.privateKey, [leaf.certificate, ...above(visa().merchantCa)]);
      await refused(receiveSigned(await sendSigned({ msg: 'Error', v: 1, rrpid: randomId(), time: base.toISOString(), code: 'x_y', message: '' } as never, signer), { types: ['Error'], party: world.party(), signerRoles: ['gateway'] }), 'issuer_not_allowed');
    });

    it('a JCB merchant certificate made by the VISA merchant CA → brand_mismatch at validation', async () => {
      const leaf = await forged(visa().merchantCa, { ...merchantIdentity, usage: 'signature', brand: 'JCB' });
      const signer = await createSigner(leaf.privateKey, [leaf.certificate, ...above(visa().merchantCa)]);
      const { init, initRes } = await pInit({ signer });
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'brand_mismatch');
    });

    it('CRLs past their next update → crl_stale', async () => {
      world.clock.now = new Date(base.getTime() + 8 * DAY);
      const { init, initRes } = await pInit();
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'crl_stale');
    });

    it('a CRL not in force yet → crl_stale', async () => {
      const store = await genuineCrls();
      store.put(await createCrl({ issuer: visa().merchantCa, revoked: [], thisUpdate: new Date(base.getTime() + 3_600_000), nextUpdate: new Date(base.getTime() + 7 * DAY) }));
      const { init, initRes } = await pInit();
      await refused(openPInitRes(initRes.raw, { party: partyWith(store), request: init.message }), 'crl_stale');
    });

    it('no CRL at hand → crl_unavailable', async () => {
      const { init, initRes } = await pInit();
      await refused(openPInitRes(initRes.raw, { party: partyWith(new InMemoryCrlStore()), request: init.message }), 'crl_unavailable');
    });

    it("a CRL under the merchant CA's name signed by another key → crl_signature_invalid", async () => {
      const store = await genuineCrls();
      const impostor = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' });
      store.put(await createCrl({ issuer: { certificate: visa().merchantCa.certificate, privateKey: impostor.privateKey }, revoked: [], thisUpdate: base, nextUpdate: new Date(base.getTime() + 7 * DAY) }));
      const { init, initRes } = await pInit();
      await refused(openPInitRes(initRes.raw, { party: partyWith(store), request: init.message }), 'crl_signature_invalid');
    });

    it('lib/pki: a merchant CA cannot issue a gateway certificate → issuer_not_allowed', async () => {
      const keys = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' });
      await refusedByPki(world.issueLeaf(visa().merchantCa, { role: 'gateway', usage: 'signature', acquirerId: 'ACQ-A' }, keys.publicKey), 'issuer_not_allowed');
    });

    it('lib/pki: a VISA merchant CA cannot issue for JCB → brand_mismatch', async () => {
      const keys = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature' });
      await refusedByPki(world.issueLeaf(visa().merchantCa, { ...merchantIdentity, usage: 'signature', brand: 'JCB' }, keys.publicKey), 'brand_mismatch');
    });
  });

  // --- Time and replay ------------------------------------------------------------------

  describe('freshness', () => {
    it('a PInitRes received more than 300 s after it was sent → stale_message', async () => {
      const { init, initRes } = await pInit();
      world.clock.now = new Date(base.getTime() + SKEW_MS + 1000);
      await refused(openPInitRes(initRes.raw, { party: world.party(), request: init.message }), 'stale_message');
    });

    it('a PInitRes dated more than 300 s ahead → message_from_future (299 s ahead passes)', async () => {
      const near = await pInit({ time: new Date(base.getTime() + SKEW_MS - 1000) });
      await expect(openPInitRes(near.initRes.raw, { party: world.party(), request: near.init.message })).resolves.toBeDefined();
      const far = await pInit({ time: new Date(base.getTime() + SKEW_MS + 1000) });
      await refused(openPInitRes(far.initRes.raw, { party: world.party(), request: far.init.message }), 'message_from_future');
    });

    it('an unsigned PInitReq that is too old → stale_message', async () => {
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: { clock: () => new Date(base.getTime() - SKEW_MS - 1000) } });
      await refused(openPInitReq(init.raw, world.party()), 'stale_message');
    });

    it('an AuthReq from the future at the gateway → message_from_future', async () => {
      const { atMerchant } = await purchase();
      const sent = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: { clock: () => new Date(base.getTime() + SKEW_MS + 1000) } });
      await refused(openGatewayRequest(sent.raw, { party: world.party(), gateway: world.gateways.a.keyExchange }), 'message_from_future');
    });

    it('the same AuthReq bytes opened twice by one gateway → replayed_message; a re-signed retry (same RRPID, new time) passes', async () => {
      const { atMerchant } = await purchase();
      const gatewayParty = world.party();
      const { authReq } = await authorize(atMerchant, { gatewayParty });
      await refused(openGatewayRequest(authReq.raw, { party: gatewayParty, gateway: world.gateways.a.keyExchange }), 'replayed_message');
      const retry = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, rrpid: authReq.message.rrpid, party: { clock: () => new Date(base.getTime() + 1000) } });
      const opened = await openGatewayRequest(retry.raw, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
      expect(opened.message.rrpid).toBe(authReq.message.rrpid);
    });

    it('the same PInitReq twice → replayed_message', async () => {
      const merchant = world.party();
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      await openPInitReq(init.raw, merchant);
      await refused(openPInitReq(init.raw, merchant), 'replayed_message');
    });
  });

  // --- Input refused before parsing -----------------------------------------------------

  describe('input shape', () => {
    it.each([
      ['undefined', undefined],
      ['an object', { msg: 'PInitRes' }],
      ['bytes', new Uint8Array([1, 2, 3])],
    ])('a signed message that is %s → malformed_message', async (_name, raw) => {
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      await refused(openPInitRes(raw, { party: world.party(), request: init.message }), 'malformed_message');
    });

    it('an unsigned message that is not a string → malformed_message', async () => {
      await refused(openPInitReq({ msg: 'PInitReq' }, world.party()), 'malformed_message');
    });

    it('a truncated JWS (signature cut off) → malformed_message', async () => {
      const { init, initRes } = await pInit();
      await refused(openPInitRes(initRes.raw.slice(0, initRes.raw.lastIndexOf('.')), { party: world.party(), request: init.message }), 'malformed_message');
    });

    it('a truncated JWE → malformed_message', async () => {
      const { atMerchant } = await purchase();
      const sent = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at });
      await refused(openGatewayRequest(sent.raw.slice(0, sent.raw.length >> 1), { party: world.party(), gateway: world.gateways.a.keyExchange }), 'malformed_message');
    });

    it('a truncated unsigned message → malformed_message', async () => {
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      await refused(openPInitReq(init.raw.slice(0, -5), world.party()), 'malformed_message');
    });

    it('a JWS with a header that is not JSON → malformed_message', async () => {
      const { init, initRes } = await pInit();
      const [, payload, signature] = initRes.raw.split('.');
      await refused(openPInitRes(`${b64('{"alg":')}.${payload}.${signature}`, { party: world.party(), request: init.message }), 'malformed_message');
    });

    it('a correctly signed payload that is not JSON → malformed_message', async () => {
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      await refused(openPInitRes(await signPayload('not JSON', world.merchant.signer), { party: world.party(), request: init.message }), 'malformed_message');
    });

    it('a JSON array instead of a message object → malformed_message', async () => {
      await refused(openPInitReq('[1,2,3]', world.party()), 'malformed_message');
    });

    it('a signed message larger than 64 KiB → message_too_large (before any parsing)', async () => {
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      await refused(openPInitRes('a'.repeat(64 * 1024 + 1), { party: world.party(), request: init.message }), 'message_too_large');
    });

    it('an unsigned message larger than 64 KiB → message_too_large (before any parsing)', async () => {
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      const padded = init.raw.slice(0, -1) + `,"pad":"${'x'.repeat(64 * 1024)}"}`;
      await refused(openPInitReq(padded, world.party()), 'message_too_large');
    });

    it("a genuine AuthReq above the gateway's own size limit → message_too_large", async () => {
      const { atMerchant } = await purchase();
      const sent = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at });
      await refused(openGatewayRequest(sent.raw, { party: { ...world.party(), maxMessageBytes: 1024 }, gateway: world.gateways.a.keyExchange }), 'message_too_large');
    });

    it('a PInitReq where a PReq is expected → unexpected_message_type', async () => {
      const { initRes, merchant } = await purchase();
      const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at });
      await refused(openPReq(init.raw, { party: merchant, init: initRes.message }), 'unexpected_message_type');
    });

    it('a signed PRes where a PInitRes is expected → unexpected_message_type', async () => {
      const { atMerchant, init } = await purchase();
      const pres = await createPRes({ preq: atMerchant, result: { status: 'approved', code: 'approved' }, signer: world.merchant.signer, party: at });
      await refused(openPInitRes(pres.raw, { party: world.party(), request: init.message }), 'unexpected_message_type');
    });

    it('a CapReq where only AuthReq is accepted → unexpected_message_type', async () => {
      const sent = await createGatewayRequest('CapReq', { batchId: randomId(), items: [{ xid: randomId(), captureId: randomId(), authCode: 'A1B2C3', amount }] }, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at });
      await refused(openGatewayRequest(sent.raw, { party: world.party(), gateway: world.gateways.a.keyExchange, types: ['AuthReq'] }), 'unexpected_message_type');
    });

    it('a PReq with an unknown field → invalid_message', async () => {
      const { preq, initRes, merchant } = await purchase();
      await refused(openPReq(sendUnsigned({ ...preq.message, rrpid: randomId(), extra: true } as PReq), { party: merchant, init: initRes.message }), 'invalid_message');
    });

    it('a signed PInitRes with a negative amount → invalid_message', async () => {
      const { init, initRes } = await pInit();
      const negative: PInitRes = { ...initRes.message, amount: { value: -5, currency: 'JPY' } };
      const raw = await sendSigned(negative, world.merchant.signer);
      await refused(openPInitRes(raw, { party: world.party(), request: init.message }), 'invalid_message');
    });
  });

  // --- Certificate requests -------------------------------------------------------------

  describe('CertReq / CertRes', () => {
    const requester = { acquirerId: 'ACQ-A', merchantNumber: 'M-0003', posId: 'pos-1', brand: 'VISA' };

    async function certReq() {
      const keys = await generatePosKeys(world.algorithm);
      const sent = await createCertReq({ keys, acquisitionNumber: 'ACQ-NUMBER-0003', requester, subject: { commonName: 'Another Shop' }, ca: world.ca.recipient, party: at });
      return { keys, sent };
    }

    /** Re-signs a (modified) CertReq with any key and seals it to the CA, as a requester would. */
    async function resealed(message: CertReq, privateKey: CryptoKey) {
      return seal(await signWithBareKey(JSON.stringify(message), privateKey, world.algorithm === 'P-256' ? 'ES256' : 'PS256'), world.ca.recipient);
    }

    /** The CSR with one byte of its subject changed, so its self-signature no longer matches. */
    function tamperedCsr(pem: string): string {
      const der = new Uint8Array(x509.PemConverter.decodeFirst(pem));
      const name = utf8('Another Shop');
      const index = der.findIndex((_, start) => name.every((byte, offset) => der[start + offset] === byte));
      expect(index).toBeGreaterThan(0);
      der[index] = 'B'.charCodeAt(0);
      return x509.PemConverter.encode(der, 'CERTIFICATE REQUEST');
    }

    it('lib/pki: a CSR whose signed content was altered → csr_signature_invalid', async () => {
      const { sent } = await certReq();
      await expect(verifyCsr(sent.message.signatureCsr)).resolves.toMatchObject({ subject: expect.stringContaining('Another Shop') });
      await refusedByPki(verifyCsr(tamperedCsr(sent.message.signatureCsr)), 'csr_signature_invalid');
    });

    it('a CertReq carrying a CSR with a broken signature → csr_signature_invalid', async () => {
      const { keys, sent } = await certReq();
      const raw = await resealed({ ...sent.message, signatureCsr: tamperedCsr(sent.message.signatureCsr) }, keys.signature.privateKey);
      await refused(openCertReq(raw, { party: world.party(), ca: world.ca.keyExchange }), 'csr_signature_invalid');
    });

    it("a CertReq signed with another key than the CSR's → signature_invalid", async () => {
      const { sent } = await certReq();
      const intruder = await generateKeyPair({ algorithm: world.algorithm, purpose: 'signature' });
      await refused(openCertReq(await resealed(sent.message, intruder.privateKey), { party: world.party(), ca: world.ca.keyExchange }), 'signature_invalid');
    });

    it("a CertReq with another party's CSR (valid, but not the signing key's) → signature_invalid", async () => {
      const { keys, sent } = await certReq();
      const other = await generatePosKeys(world.algorithm);
      const csr = await createCsr({ keys: other.signature, subject: { commonName: 'Another Shop' } });
      await refused(openCertReq(await resealed({ ...sent.message, signatureCsr: csr }, keys.signature.privateKey), { party: world.party(), ca: world.ca.keyExchange }), 'signature_invalid');
    });

    it('the same CertReq twice → replayed_message', async () => {
      const { sent } = await certReq();
      const ca = world.party();
      await openCertReq(sent.raw, { party: ca, ca: world.ca.keyExchange });
      await refused(openCertReq(sent.raw, { party: ca, ca: world.ca.keyExchange }), 'replayed_message');
    });

    it('a stale CertReq → stale_message', async () => {
      const { sent } = await certReq();
      world.clock.now = new Date(base.getTime() + SKEW_MS + 1000);
      await refused(openCertReq(sent.raw, { party: world.party(), ca: world.ca.keyExchange }), 'stale_message');
    });

    async function certResFor(options: { rrpid?: string; signer?: Signer; chains?: 'other keys' }) {
      const { keys, sent } = await certReq();
      const opened = await openCertReq(sent.raw, { party: world.party(), ca: world.ca.keyExchange });
      const merchantCa = visa().merchantCa;
      const identity = { role: 'merchant' as const, acquirerId: requester.acquirerId, merchantNumber: requester.merchantNumber, posId: requester.posId };
      const signatureChain =
        options.chains === 'other keys'
          ? world.merchant.signer.chain
          : [await issueCertificate({ issuer: merchantCa, publicKey: opened.signaturePublicKey, subject: opened.message.subject, identity: { ...identity, usage: 'signature' }, notBefore: new Date(base.getTime() - DAY), notAfter: new Date(base.getTime() + DAY) }), ...above(merchantCa)];
      const keyExchangeChain =
        options.chains === 'other keys'
          ? world.merchant.keyExchange.chain
          : [await issueCertificate({ issuer: merchantCa, publicKey: opened.keyExchangePublicKey, subject: opened.message.subject, identity: { ...identity, usage: 'keyExchange' }, notBefore: new Date(base.getTime() - DAY), notAfter: new Date(base.getTime() + DAY) }), ...above(merchantCa)];
      const request = options.rrpid ? { ...opened, message: { ...opened.message, rrpid: options.rrpid } } : opened;
      const certRes = await createCertRes({ request, result: { status: 'approved', code: 'issued' }, signatureChain, keyExchangeChain, signer: options.signer ?? world.ca.signer, party: at });
      return openCertRes(certRes.raw, { party: world.party(), request: sent.message, keys });
    }

    it('control: a proper CertRes gives the POS its signer', async () => {
      const issued = await certResFor({});
      expect(issued.signer?.chain[0]!.subject).toContain('Another Shop');
    });

    it('a CertRes for another request → rrpid_mismatch', async () => {
      await refused(certResFor({ rrpid: randomId() }), 'rrpid_mismatch');
    });

    it('a CertRes certifying other keys than the POS generated → identity_mismatch', async () => {
      await refused(certResFor({ chains: 'other keys' }), 'identity_mismatch');
    });

    it('a CertRes signed by a gateway instead of the CA service → unexpected_role', async () => {
      await refused(certResFor({ signer: world.gateways.a.signer }), 'unexpected_role');
    });
  });
});
