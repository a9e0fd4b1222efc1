/**
 * The CA and the acquirers as real processes, driven over HTTP with lib/set
 * messages exactly as ServerPOS drives them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthReq, createGatewayRequest, randomId, seal, type PaymentAccount } from '@/lib/set';
import { startSimulators, type RunningSimulators } from './start-simulators';
import { TestWorld, writeTestConfig, type TestMerchant } from './testing/test-merchant';

const card = (pan: string, expiry = '2031-12', cvc = '123'): PaymentAccount => ({ kind: 'card', pan, expiry, cvc });
const yen = (value: number) => ({ value, currency: 'JPY' });
const output: string[] = [];

let sims: RunningSimulators;
let world: TestWorld;
let merchant: TestMerchant;
let bank: TestMerchant;

beforeAll(async () => {
  const { file } = await writeTestConfig();
  sims = await startSimulators({ configFile: file, output: (name, line) => output.push(`[${name}] ${line}`) });
  world = await TestWorld.connect(sims);
  merchant = await world.merchant('ACQ-CARD', 'M-TEST-0001');
  bank = await world.merchant('ACQ-BANK', 'B-TEST-0001');
}, 120_000);

afterAll(async () => {
  await sims?.stop();
});

describe('certificate authority', () => {
  it('issues a merchant’s two certificates for a valid acquisition number, once only', async () => {
    const application = await world.apply('ACQ-JCB', 'J-TEST-0001', 'Test Books');
    expect(application.status).toBe('verified');
    const request = { acquirerId: 'ACQ-JCB', brand: 'JCB', merchantNumber: 'J-TEST-0001', posId: 'pos-9', acquisitionNumber: application.acquisitionNumber! };
    const issued = await world.certify(request);
    expect(issued.message.result.status).toBe('approved');
    expect(issued.signatureCertificate?.identity).toMatchObject({ role: 'merchant', usage: 'signature', brand: 'JCB', acquirerId: 'ACQ-JCB', merchantNumber: 'J-TEST-0001', posId: 'pos-9' });
    expect(issued.keyExchangeCertificate?.identity.usage).toBe('keyExchange');
    // The number was spent by the first request.
    const again = await world.certify(request);
    expect(again.message.result).toMatchObject({ status: 'declined', code: 'invalid_acquisition_number' });
  });

  it('refuses a wrong acquisition number, and a right one for another merchant', async () => {
    const wrong = await world.certify({ acquirerId: 'ACQ-CARD', brand: 'VISA', merchantNumber: 'M-TEST-0001', posId: 'pos-2', acquisitionNumber: 'AAAAA-BBBBB-CCCCC-DDDDD' });
    expect(wrong.message.result).toMatchObject({ status: 'declined', code: 'invalid_acquisition_number' });
    expect(wrong.signer).toBeUndefined();
    const application = await world.apply('ACQ-CARD', 'M-TEST-0002', 'Second Shop');
    const swapped = await world.certify({ acquirerId: 'ACQ-CARD', brand: 'VISA', merchantNumber: 'M-TEST-0001', posId: 'pos-2', acquisitionNumber: application.acquisitionNumber! });
    expect(swapped.message.result.code).toBe('invalid_acquisition_number');
  });

  it('refuses an enrolment whose store name does not match the contract, or an unknown merchant number', async () => {
    expect(await world.apply('ACQ-CARD', 'M-TEST-0002', 'Somebody Else')).toMatchObject({ status: 'rejected', code: 'details_mismatch' });
    expect(await world.apply('ACQ-CARD', 'M-NOPE-0000', 'Test Books')).toMatchObject({ status: 'rejected', code: 'unknown_merchant' });
  });
});

describe('authorization', () => {
  it('approves a good card, with an auth code, and records one ledger entry', async () => {
    const { answer, request } = await merchant.authorize(card('4111111111111111'), yen(1_200));
    expect(answer).toMatchObject({ msg: 'AuthRes', result: { status: 'approved', code: 'approved' }, captured: false });
    if (answer.msg !== 'AuthRes') throw new Error('expected AuthRes');
    expect(answer.result.authCode).toMatch(/^[A-Z0-9]{6}$/);
    const entries = await merchant.ledger({ xid: request.message.xid });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ type: 'authorization', code: 'approved', amount: 1_200 });
    expect(JSON.stringify(entries)).not.toContain('4111111111111111');
  });

  const declines: [string, PaymentAccount, number, string][] = [
    ['expired card (test card)', card('4000000000000069'), 1_000, 'expired_card'],
    ['expired card (past expiry)', card('4111111111111111', '2020-01'), 1_000, 'expired_card'],
    ['insufficient funds', card('4000000000009995'), 1_000, 'insufficient_funds'],
    ['lost card', card('4000000000009987'), 1_000, 'lost_or_stolen_card'],
    ['stolen card', card('4000000000009979'), 1_000, 'lost_or_stolen_card'],
    ['do not honor', card('4000000000000002'), 1_000, 'do_not_honor'],
    ['invalid card number', card('4111111111111112'), 1_000, 'invalid_card_number'],
    ['wrong security code', card('4000000000000127'), 1_000, 'invalid_security_code'],
    ['over the limit', card('4000000000000101'), 50_001, 'over_limit'],
  ];
  it.each(declines)('declines: %s', async (_name, account, amount, code) => {
    const { answer, request } = await merchant.authorize(account, yen(amount));
    expect(answer).toMatchObject({ msg: 'AuthRes', result: { status: 'declined', code } });
    if (answer.msg !== 'AuthRes') throw new Error('expected AuthRes');
    expect(answer.result.message?.en.length).toBeGreaterThan(5);
    expect(answer.result.message?.ja).toMatch(/[\u3040-\u30ff\u4e00-\u9faf]/);
    expect(await merchant.ledger({ xid: request.message.xid })).toMatchObject([{ type: 'decline', code }]);
  });

  const bankDeclines: [string, PaymentAccount, number, string][] = [
    ['insufficient balance', { kind: 'bank', bankCode: '0001', accountNumber: '2345678', pin: '1234' }, 1_001, 'insufficient_balance'],
    ['closed account', { kind: 'bank', bankCode: '0001', accountNumber: '3456789', pin: '1234' }, 100, 'closed_account'],
    ['wrong PIN', { kind: 'bank', bankCode: '0001', accountNumber: '1234567', pin: '9999' }, 100, 'wrong_pin'],
  ];
  it.each(bankDeclines)('account transfers decline: %s', async (_name, account, amount, code) => {
    const { answer } = await bank.authorize(account, yen(amount));
    expect(answer).toMatchObject({ result: { status: 'declined', code } });
  });

  it('approves an account transfer with the right PIN', async () => {
    const { answer } = await bank.authorize({ kind: 'bank', bankCode: '0001', accountNumber: '1234567', pin: '1234' }, yen(5_000));
    expect(answer).toMatchObject({ result: { status: 'approved' } });
  });

  it('declines a brand the acquirer does not take', async () => {
    const { answer } = await merchant.authorize(card('3530111333300000'), yen(100), { brand: 'JCB' });
    expect(answer).toMatchObject({ result: { status: 'declined', code: 'brand_not_accepted' } });
  });

  it('answers a replayed AuthReq with the same answer and keeps one ledger entry; a re-signed retry too', async () => {
    const first = await merchant.authorize(card('4111111111111111'), yen(700));
    const replay = await merchant.post(first.request.raw);
    expect(replay).toEqual({ status: 200, body: first.raw });
    const retry = await createAuthReq(first.purchase, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient(), rrpid: first.request.message.rrpid });
    const retried = await merchant.post(retry.raw);
    expect(retried.body).toBe(first.raw);
    expect(await merchant.ledger({ xid: first.request.message.xid })).toHaveLength(1);
  });

  it('refuses a second authorization of one XID under a new request', async () => {
    const first = await merchant.authorize(card('4111111111111111'), yen(700));
    const second = await createAuthReq(first.purchase, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
    const answer = await merchant.open((await merchant.post(second.raw)).body, second.message);
    expect(answer).toMatchObject({ msg: 'Error', code: 'duplicate_xid' });
  });

  it('refuses tampered PI, and PI sealed for another acquirer’s gateway', async () => {
    const purchase = await merchant.purchase(card('4111111111111111'), yen(900));
    const parts = purchase.message.pi.split('.');
    const ciphertext = parts[3]!;
    parts[3] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
    const tampered = await createAuthReq({ ...purchase, message: { ...purchase.message, pi: parts.join('.') } }, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
    expect(await merchant.open((await merchant.post(tampered.raw)).body, tampered.message)).toMatchObject({ msg: 'Error', code: 'decryption_failed' });

    const bankGateway = (await (await fetch(`${world.acquirer('ACQ-BANK').gatewayUrl}/certificates`)).json()) as { keyExchange: string[] };
    const elsewhere = await merchant.purchase(card('4111111111111111'), yen(900));
    const foreignPi = await seal('{"not":"for you"}', await merchant.gatewayRecipient(bankGateway.keyExchange));
    const misrouted = await createAuthReq({ ...elsewhere, message: { ...elsewhere.message, pi: foreignPi } }, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
    expect(await merchant.open((await merchant.post(misrouted.raw)).body, misrouted.message)).toMatchObject({ msg: 'Error', code: 'not_for_this_recipient' });
    expect(await merchant.ledger({ xid: elsewhere.oi.xid })).toHaveLength(0);
  });

  it('answers garbage with a 400 and a code, and records nothing', async () => {
    const answer = await merchant.post('not a SET message');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'malformed_message' } });
  });

  it('answers the slow card late, and never answers for the card that never answers (InqReq then says unknown)', async () => {
    const started = Date.now();
    const slow = await merchant.authorize(card('4000000000000309'), yen(100));
    expect(slow.answer).toMatchObject({ result: { status: 'approved' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);

    const purchase = await merchant.purchase(card('4000000000000408'), yen(100));
    const authReq = await createAuthReq(purchase, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
    await expect(merchant.post(authReq.raw, { timeoutMs: 1_500 })).rejects.toThrow();
    const inquiry = await createGatewayRequest('InqReq', { xid: purchase.oi.xid }, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
    expect(await merchant.open((await merchant.post(inquiry.raw)).body, inquiry.message)).toMatchObject({ msg: 'InqRes', state: 'unknown' });
  });
});

describe('after authorization', () => {
  it('captures a batch, reverses, credits and answers inquiries from its ledger', async () => {
    const gateway = await merchant.gatewayRecipient();
    const first = await merchant.authorize(card('4111111111111111'), yen(3_000));
    const second = await merchant.authorize(card('5555555555554444'), yen(2_000), { brand: 'MASTER' });
    const third = await merchant.authorize(card('4111111111111111'), yen(800));
    const code = (result: typeof first) => (result.answer.msg === 'AuthRes' ? result.answer.result.authCode! : '');

    const capture = await createGatewayRequest('CapReq', {
      batchId: randomId(),
      items: [
        { xid: first.request.message.xid, captureId: randomId(), authCode: code(first), amount: yen(3_000) },
        { xid: second.request.message.xid, captureId: randomId(), authCode: code(second), amount: yen(1_500) },
        { xid: second.request.message.xid, captureId: randomId(), authCode: 'WRONG1', amount: yen(100) },
        { xid: third.request.message.xid, captureId: randomId(), authCode: code(third), amount: yen(900) },
      ],
    }, { merchant: merchant.keys, gateway });
    const captured = await merchant.open((await merchant.post(capture.raw)).body, capture.message);
    expect(captured.msg).toBe('CapRes');
    if (captured.msg !== 'CapRes') throw new Error('expected CapRes');
    expect(captured.items.map((item) => item.result.code)).toEqual(['captured', 'captured', 'auth_code_mismatch', 'amount_exceeds_authorization']);

    const reversal = await createGatewayRequest('AuthRevReq', { xid: third.request.message.xid, authCode: code(third), newAmount: yen(0) }, { merchant: merchant.keys, gateway });
    expect(await merchant.open((await merchant.post(reversal.raw)).body, reversal.message)).toMatchObject({ msg: 'AuthRevRes', result: { code: 'reversed' }, authorizedAmount: yen(0) });

    const creditId = randomId();
    const credit = await createGatewayRequest('CredReq', { xid: first.request.message.xid, creditId, amount: yen(1_000) }, { merchant: merchant.keys, gateway });
    expect(await merchant.open((await merchant.post(credit.raw)).body, credit.message)).toMatchObject({ msg: 'CredRes', result: { code: 'credited' }, creditedTotal: yen(1_000) });
    const tooMuch = await createGatewayRequest('CredReq', { xid: first.request.message.xid, creditId: randomId(), amount: yen(2_001) }, { merchant: merchant.keys, gateway });
    expect(await merchant.open((await merchant.post(tooMuch.raw)).body, tooMuch.message)).toMatchObject({ result: { status: 'declined', code: 'amount_exceeds_capture' } });

    const inquiry = await createGatewayRequest('InqReq', { xid: first.request.message.xid }, { merchant: merchant.keys, gateway });
    expect(await merchant.open((await merchant.post(inquiry.raw)).body, inquiry.message)).toMatchObject({ msg: 'InqRes', state: 'credited', authorized: yen(3_000), captured: yen(3_000), credited: yen(1_000) });
    expect((await merchant.ledger({ xid: first.request.message.xid })).map((entry) => entry.type)).toEqual(['authorization', 'capture', 'credit']);
  });

  it('keeps its ledger across a restart: a replay after it gets the same answer, still one entry', async () => {
    const first = await merchant.authorize(card('4111111111111111'), yen(640));
    await sims.restartAcquirer('ACQ-CARD');
    const replay = await merchant.post(first.request.raw);
    expect(replay.body).toBe(first.raw);
    expect(await merchant.ledger({ xid: first.request.message.xid })).toHaveLength(1);
  });
});

describe('merchant registry', () => {
  it('sends newer store information in an AuthRes, and refuses new authorizations while suspended but lets captures through', async () => {
    const admin = world.acquirer('ACQ-CARD').adminUrl;
    const change = async (body: object) => (await (await fetch(`${admin}/merchants/M-TEST-0001`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as { info: { version: number; name: string } };
    const renamed = await change({ name: 'Test Books & Tea' });
    const withInfo = await merchant.authorize(card('4111111111111111'), yen(300), { storeInfoVersion: renamed.info.version - 1 });
    expect(withInfo.answer).toMatchObject({ storeInfo: { version: renamed.info.version, name: 'Test Books & Tea', status: 'active' } });
    const current = await merchant.authorize(card('4111111111111111'), yen(300), { storeInfoVersion: renamed.info.version });
    expect(current.answer).not.toHaveProperty('storeInfo');

    await change({ status: 'suspended', reason: 'chargeback review' });
    try {
      const purchase = await merchant.purchase(card('4111111111111111'), yen(300));
      const refused = await createAuthReq(purchase, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
      expect(await merchant.open((await merchant.post(refused.raw)).body, refused.message)).toMatchObject({ msg: 'Error', code: 'merchant_suspended' });
      const authCode = withInfo.answer.msg === 'AuthRes' ? withInfo.answer.result.authCode! : '';
      const capture = await createGatewayRequest('CapReq', { batchId: randomId(), items: [{ xid: withInfo.request.message.xid, captureId: randomId(), authCode, amount: yen(300) }] }, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
      expect(await merchant.open((await merchant.post(capture.raw)).body, capture.message)).toMatchObject({ msg: 'CapRes', items: [{ result: { code: 'captured' } }] });
    } finally {
      await change({ status: 'active' });
    }
  });

  it('refuses a merchant certificate after the CA revokes it', async () => {
    const doomed = await world.merchant('ACQ-CARD', 'M-TEST-0002', 'Second Shop');
    expect((await doomed.authorize(card('4111111111111111'), yen(100))).answer).toMatchObject({ result: { status: 'approved' } });
    const serialNumber = doomed.keys.signer.chain[0]!.serialNumber;
    const revoke = await fetch(`${sims.caUrl}/ca/revocations`, { method: 'POST', headers: world.partner(), body: JSON.stringify({ serialNumber, reason: 'keyCompromise' }) });
    expect(revoke.status).toBe(200);
    // Gateways fetch CRLs on a schedule (0.5 s in this config).
    await expect
      .poll(async () => {
        const purchase = await doomed.purchase(card('4111111111111111'), yen(100));
        const authReq = await createAuthReq(purchase, { merchant: doomed.keys, gateway: await doomed.gatewayRecipient() });
        const answer = await doomed.post(authReq.raw);
        return answer.status === 400 ? (JSON.parse(answer.body) as { error: { code: string } }).error.code : `HTTP ${answer.status}`;
      }, { timeout: 10_000, interval: 500 })
      .toBe('certificate_revoked');
  });

  it('keeps store information ServerPOS pushes when its version is newer, and answers stale with its own copy otherwise', async () => {
    const { registryUrl, adminUrl } = world.acquirer('ACQ-CARD');
    const merchantUrl = `${registryUrl}/merchants/M-TEST-0001`;
    const push = (body: object, headers = world.partner()) => fetch(`${merchantUrl}/info`, { method: 'PUT', headers, body: JSON.stringify(body) });
    const held = async () => ((await (await fetch(merchantUrl, { headers: world.partner() })).json()) as { info: { version: number } }).info;
    const before = await held();

    const accepted = await push({ version: before.version + 1, name: 'Test Books', contactEmail: 'shop@books.example', phone: '+81 3 1234 5678', postalAddress: '1-2-3 Ginza', websiteUrl: 'https://books.example' });
    expect(accepted.status).toBe(200);
    const keptInfo = { version: before.version + 1, name: 'Test Books', status: 'active', contactEmail: 'shop@books.example', phone: '+81 3 1234 5678', postalAddress: '1-2-3 Ginza', websiteUrl: 'https://books.example' };
    expect(await accepted.json()).toEqual({ status: 'accepted', info: keptInfo });
    expect(await held()).toEqual(keptInfo);

    // The acquirer changes the phone on its own: its version moves past ServerPOS's.
    await fetch(`${adminUrl}/merchants/M-TEST-0001`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '+81 3 9999 0000' }) });
    const stale = await push({ version: before.version + 2, name: 'Pushed too late' });
    expect(await stale.json()).toEqual({ status: 'stale', info: { ...keptInfo, version: before.version + 2, phone: '+81 3 9999 0000' } });
    expect((await held()).version).toBe(before.version + 2);

    // An AuthRes still carries only the fields lib/set's store information allows.
    const answer = (await merchant.authorize(card('4111111111111111'), yen(100), { storeInfoVersion: 1 })).answer;
    expect(answer).toMatchObject({ msg: 'AuthRes', storeInfo: { version: before.version + 2, name: 'Test Books', status: 'active' } });
    expect(answer.msg === 'AuthRes' && Object.keys(answer.storeInfo ?? {}).sort()).toEqual(['name', 'status', 'version']);

    expect((await push({ version: 99, name: '' })).status).toBe(400);
    expect((await push({ version: 99, name: 'Test Books', fax: '03' })).status).toBe(400);
    expect((await push({ version: 99, name: 'Test Books' }, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await fetch(`${registryUrl}/merchants/M-NOPE-0000/info`, { method: 'PUT', headers: world.partner(), body: JSON.stringify({ version: 99, name: 'Test Books' }) })).status).toBe(404);
    expect((await held()).version).toBe(before.version + 2);
  });
});

describe('fault injection', () => {
  const setFaults = async (faults: object) => {
    const response = await fetch(`${world.acquirer('ACQ-CARD').adminUrl}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    expect(response.status).toBe(200);
  };
  const clearFaults = async () => {
    expect((await fetch(`${world.acquirer('ACQ-CARD').adminUrl}/faults`, { method: 'DELETE' })).status).toBe(200);
  };

  it('adds latency, then not once cleared', async () => {
    await setFaults({ latencyMs: 1_200 });
    let started = Date.now();
    await merchant.authorize(card('4111111111111111'), yen(100));
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_200);
    await clearFaults();
    started = Date.now();
    await merchant.authorize(card('4111111111111111'), yen(100));
    expect(Date.now() - started).toBeLessThan(1_200);
  });

  it('answers 503 before processing at error rate 1, and nothing reaches the ledger', async () => {
    await setFaults({ errorRate: 1 });
    const purchase = await merchant.purchase(card('4111111111111111'), yen(100));
    const authReq = await createAuthReq(purchase, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
    const answer = await merchant.post(authReq.raw);
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'gateway_unavailable' } });
    expect(await merchant.ledger({ xid: purchase.oi.xid })).toHaveLength(0);
    await clearFaults();
    expect((await merchant.post(authReq.raw)).status).toBe(200);
  });

  it('drops the reply after processing: the ledger has the entry, and a retry gets the answer', async () => {
    await setFaults({ dropReplyRate: 1 });
    const purchase = await merchant.purchase(card('4111111111111111'), yen(100));
    const authReq = await createAuthReq(purchase, { merchant: merchant.keys, gateway: await merchant.gatewayRecipient() });
    await expect(merchant.post(authReq.raw)).rejects.toThrow();
    expect(await merchant.ledger({ xid: purchase.oi.xid })).toHaveLength(1);
    await clearFaults();
    const retried = await merchant.post(authReq.raw);
    expect(await merchant.open(retried.body, authReq.message)).toMatchObject({ msg: 'AuthRes', result: { status: 'approved' } });
    expect(await merchant.ledger({ xid: purchase.oi.xid })).toHaveLength(1);
  });

  it('refuses connections, and takes them again once cleared', async () => {
    await setFaults({ refuseConnections: true });
    const error = await fetch(world.acquirer('ACQ-CARD').gatewayUrl.replace('/set', '/health')).catch((caught: unknown) => caught);
    expect(String((error as Error & { cause?: { code?: string } }).cause?.code)).toBe('ECONNREFUSED');
    await clearFaults();
    expect((await fetch(world.acquirer('ACQ-CARD').gatewayUrl.replace('/set', '/health'))).status).toBe(200);
  });

  it('refuses an unknown knob or an out-of-range value with a 400', async () => {
    const response = await fetch(`${world.acquirer('ACQ-CARD').adminUrl}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorRate: 2 }) });
    expect(response.status).toBe(400);
    const unknown = await fetch(`${world.acquirer('ACQ-CARD').adminUrl}/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ explode: true }) });
    expect(unknown.status).toBe(400);
  });
});
