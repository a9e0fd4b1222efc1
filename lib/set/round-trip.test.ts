import { beforeAll, describe, expect, it } from 'vitest';
import {
  createAuthReq,
  createErrorMessage,
  createGatewayRequest,
  createGatewayResponse,
  createPInitReq,
  createPInitRes,
  createPReq,
  createPRes,
  openGatewayRequest,
  openGatewayResponse,
  openPInitReq,
  openPInitRes,
  openPReq,
  openPRes,
  randomId,
  receiveSigned,
  verifyPaymentInstructions,
  type MessageOf,
  type PaymentAccount,
} from '@/lib/set';
import { createWorld, type World } from '@/lib/set/testing/world';

const card: PaymentAccount = { kind: 'card', pan: '4111111111111111', expiry: '2030-12', cvc: '123' };

/** Runs PInit and PReq between a wallet and the merchant; returns what each side holds. */
async function purchase(world: World, options: { withCardholderCertificate?: boolean; account?: PaymentAccount } = {}) {
  const wallet = world.party();
  const merchant = world.party();
  const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001' });
  const initReq = await openPInitReq(init.raw, merchant);
  const initRes = await createPInitRes({
    request: initReq,
    amount: { value: 12_800, currency: 'JPY' },
    merchant: { acquirerId: world.merchant.acquirerId, merchantNumber: world.merchant.merchantNumber },
    gatewayKeyExchange: world.gateways.a.keyExchange.x5c,
    signer: world.merchant.signer,
  });
  const opened = await openPInitRes(initRes.raw, { party: wallet, request: init.message });
  const preq = await createPReq({
    init: opened,
    request: init.message,
    orderDescription: '2 × green tea, 1 × teapot',
    account: options.account ?? card,
    ...(options.withCardholderCertificate ? { cardholder: world.cardholder } : {}),
  });
  const purchaseAtMerchant = await openPReq(preq.raw, { party: merchant, init: initRes.message });
  return { wallet, merchant, init, initRes, opened, preq, purchaseAtMerchant };
}

describe.each(['RSA-2048', 'P-256'] as const)('SET round trips with %s keys', (algorithm) => {
  let world: World;
  beforeAll(async () => {
    world = await createWorld({ algorithm });
  }, 60_000);

  it('certifies the merchant through CertReq/CertRes with the keys it generated', () => {
    expect(world.merchant.signer.chain[0]!.subject).toContain('Test Shop');
    expect(world.merchant.keyExchange.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('PInitReq/PInitRes: the wallet gets the XID, both challenges and the gateway to seal PI to', async () => {
    const { init, initRes, opened } = await purchase(world);
    expect(opened.message.xid).toBe(initRes.message.xid);
    expect(opened.message.challC).toBe(init.message.challC);
    expect(opened.gateway.identity).toMatchObject({ role: 'gateway', acquirerId: 'ACQ-A' });
    expect(opened.merchant.identity).toMatchObject({ role: 'merchant', merchantNumber: 'M-0001', posId: 'pos-1' });
  });

  it('PReq/PRes without a cardholder certificate: the merchant reads OI, never PI', async () => {
    const { preq, purchaseAtMerchant, opened, wallet } = await purchase(world);
    expect(purchaseAtMerchant.oi).toEqual(preq.oi);
    expect(purchaseAtMerchant.cardholder).toBeUndefined();
    expect(preq.raw).not.toContain('4111111111111111');
    expect(JSON.stringify(purchaseAtMerchant)).not.toContain('4111111111111111');
    const pres = await createPRes({ preq: purchaseAtMerchant, result: { status: 'approved', code: 'approved', authCode: 'A1B2C3' }, signer: world.merchant.signer });
    const result = await openPRes(pres.raw, { party: wallet, preq: preq.message, oi: preq.oi, merchant: opened.merchant });
    expect(result.result).toEqual({ status: 'approved', code: 'approved', authCode: 'A1B2C3' });
  });

  it('PReq with a cardholder certificate: the merchant checks the dual signature without reading PI', async () => {
    const { purchaseAtMerchant } = await purchase(world, { withCardholderCertificate: true });
    expect(purchaseAtMerchant.cardholder?.identity.role).toBe('cardholder');
  });

  it.each([false, true])('AuthReq/AuthRes (dual signature: %s): the gateway proves PI belongs to this authorization', async (withCardholderCertificate) => {
    const { purchaseAtMerchant } = await purchase(world, { withCardholderCertificate });
    const merchantParty = world.party();
    const gatewayParty = world.party();
    const authReq = await createAuthReq(purchaseAtMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, storeInfoVersion: 3 });
    const atGateway = await openGatewayRequest(authReq.raw, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
    expect(atGateway.message.msg).toBe('AuthReq');
    if (atGateway.message.msg !== 'AuthReq') throw new Error('unreachable');
    const verified = await verifyPaymentInstructions({ ...atGateway, message: atGateway.message }, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
    expect(verified.pi.account).toEqual(card);
    expect(verified.pi.amount).toEqual({ value: 12_800, currency: 'JPY' });
    expect(verified.cardholder !== undefined).toBe(withCardholderCertificate);

    const authRes = await createGatewayResponse(
      { ...atGateway, message: atGateway.message },
      { xid: atGateway.message.xid, amount: atGateway.message.amount, result: { status: 'approved', code: 'approved', authCode: 'Z9Y8X7' }, captured: false, storeInfo: { version: 4, name: 'Test Shop', status: 'active' } },
      { signer: world.gateways.a.signer },
    );
    const answer = await openGatewayResponse(authRes.raw, { party: merchantParty, merchant: world.merchant, request: authReq.message });
    expect(answer.message).toMatchObject({ msg: 'AuthRes', result: { status: 'approved', authCode: 'Z9Y8X7' }, storeInfo: { version: 4 } });
    expect(answer.gateway.identity.acquirerId).toBe('ACQ-A');
  });

  it('AuthReq with an account transfer: bank account number and PIN travel only inside PI', async () => {
    const account: PaymentAccount = { kind: 'bank', bankCode: '0005', accountNumber: '1234567', pin: '4321' };
    const { purchaseAtMerchant } = await purchase(world, { account });
    const authReq = await createAuthReq(purchaseAtMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient });
    expect(authReq.raw).not.toContain('1234567');
    const gatewayParty = world.party();
    const atGateway = await openGatewayRequest(authReq.raw, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
    if (atGateway.message.msg !== 'AuthReq') throw new Error('expected AuthReq');
    const verified = await verifyPaymentInstructions({ ...atGateway, message: atGateway.message }, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
    expect(verified.pi.account).toEqual(account);
  });

  const gatewayPairs: { name: string; request: () => { type: 'CapReq' | 'AuthRevReq' | 'CredReq' | 'InqReq'; body: object }; response: (request: MessageOf<'CapReq' | 'AuthRevReq' | 'CredReq' | 'InqReq'>) => object }[] = [
    {
      name: 'CapReq/CapRes (a batch)',
      request: () => ({ type: 'CapReq', body: { batchId: randomId(), items: [1, 2, 3].map(() => ({ xid: randomId(), captureId: randomId(), authCode: 'A1B2C3', amount: { value: 500, currency: 'JPY' } })) } }),
      response: (request) => {
        const capReq = request as MessageOf<'CapReq'>;
        return { batchId: capReq.batchId, items: capReq.items.map((item) => ({ xid: item.xid, captureId: item.captureId, result: { status: 'approved', code: 'captured' } })) };
      },
    },
    {
      name: 'AuthRevReq/AuthRevRes',
      request: () => ({ type: 'AuthRevReq', body: { xid: randomId(), authCode: 'A1B2C3', newAmount: { value: 0, currency: 'JPY' } } }),
      response: (request) => ({ xid: (request as MessageOf<'AuthRevReq'>).xid, result: { status: 'approved', code: 'reversed' }, authorizedAmount: { value: 0, currency: 'JPY' } }),
    },
    {
      name: 'CredReq/CredRes',
      request: () => ({ type: 'CredReq', body: { xid: randomId(), creditId: randomId(), amount: { value: 300, currency: 'USD' } } }),
      response: (request) => {
        const credReq = request as MessageOf<'CredReq'>;
        return { xid: credReq.xid, creditId: credReq.creditId, result: { status: 'approved', code: 'credited' }, creditedTotal: credReq.amount };
      },
    },
    {
      name: 'InqReq/InqRes',
      request: () => ({ type: 'InqReq', body: { xid: randomId() } }),
      response: (request) => ({ xid: (request as MessageOf<'InqReq'>).xid, state: 'captured', captured: { value: 500, currency: 'JPY' } }),
    },
  ];

  it.each(gatewayPairs)('$name', async ({ request, response }) => {
    const { type, body } = request();
    const sent = await createGatewayRequest(type, body as never, { merchant: world.merchant, gateway: world.gateways.a.recipient });
    const atGateway = await openGatewayRequest(sent.raw, { party: world.party(), gateway: world.gateways.a.keyExchange });
    expect(atGateway.message).toEqual(sent.message);
    const reply = await createGatewayResponse(atGateway as never, response(atGateway.message as never) as never, { signer: world.gateways.a.signer });
    const answer = await openGatewayResponse(reply.raw, { party: world.party(), merchant: world.merchant, request: sent.message });
    expect(answer.message).toEqual(reply.message);
    expect(answer.message.rrpid).toBe(sent.message.rrpid);
  });

  it('Error: a refusal travels signed and sealed, with its code, and the merchant receives it as the answer', async () => {
    const sent = await createGatewayRequest('InqReq', { xid: randomId() }, { merchant: world.merchant, gateway: world.gateways.a.recipient });
    const atGateway = await openGatewayRequest(sent.raw, { party: world.party(), gateway: world.gateways.a.keyExchange });
    const error = await createErrorMessage({ error: { code: 'merchant_suspended', message: 'This merchant is suspended.' }, about: 'InqReq', rrpid: sent.message.rrpid, signer: world.gateways.a.signer, recipient: atGateway.replyTo });
    const answer = await openGatewayResponse(error.raw, { party: world.party(), merchant: world.merchant, request: sent.message });
    expect(answer.message).toMatchObject({ msg: 'Error', code: 'merchant_suspended', about: 'InqReq' });
    const direct = await receiveSigned(error.raw, { types: ['Error'], party: world.party(), signerRoles: ['gateway'], me: world.merchant.keyExchange });
    expect(direct.message.code).toBe('merchant_suspended');
  });
});
