/**
 * A merchant POS and a cardholder's wallet for tests against the running
 * simulators, on lib/set — the same exchanges ServerPOS makes, over real HTTP.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemoryCrlStore, parseCertificate, type x509 } from '@/lib/pki';
import {
  createAuthReq,
  createCertReq,
  createPInitReq,
  createPInitRes,
  createPReq,
  generatePosKeys,
  openCertRes,
  openGatewayResponse,
  openPInitRes,
  openPReq,
  recipientOf,
  type GatewayRequestType,
  type MerchantKeys,
  type MessageOf,
  type OpenedPReq,
  type Party,
  type PaymentAccount,
  type Recipient,
} from '@/lib/set';
import type { SimConfig } from '../config';
import { loadSimConfig, simConfigSchema } from '../config';
import { fetchFromCa, partyFor, refreshCrls } from '../shared/ca-client';
import type { RunningSimulators } from '../start-simulators';

/** Free TCP ports on 127.0.0.1. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve) => {
      const server = net.createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * The demo's simulators (sim/sim.config.json: the same names, brands and merchants) on free ports, with a
 * fresh state folder and partner credential under `dataDir`; `adjust` changes the copy before it is
 * written. For the browser tests, the benchmarks and the reliability suite, which run the demo's world.
 */
export async function writeDemoSimConfig(dataDir: string, adjust: (config: SimConfig) => SimConfig = (config) => config): Promise<{ configFile: string; dataDir: string }> {
  const demo = loadSimConfig(path.resolve('sim', 'sim.config.json'));
  const [caPort, ...ports] = await freePorts(1 + 2 * demo.acquirers.length);
  const config = adjust({
    ...demo,
    dataDir: path.join(dataDir, 'sim'),
    ca: { ...demo.ca, port: caPort! },
    acquirers: demo.acquirers.map((acquirer, index) => ({ ...acquirer, port: ports[2 * index]!, adminPort: ports[2 * index + 1]! })),
    partnerSecret: randomBytes(24).toString('base64url'),
  });
  const configFile = path.join(dataDir, 'sim.config.json');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  return { configFile, dataDir: config.dataDir };
}

/**
 * A config like sim/sim.config.json on free ports with a fresh data folder, for one test run. `extraBrands`
 * lets an acquirer take more brands than usual (e.g. two acquirers for VISA, for routing tests).
 */
export async function writeTestConfig(
  overrides: { certificateValidityMinutes?: number; crlPollSeconds?: number; slowCardSeconds?: number; partnerSecret?: string; extraBrands?: Record<string, string[]> } = {},
): Promise<{ file: string; config: SimConfig }> {
  const brands = (id: string, own: string[]) => [...new Set([...own, ...(overrides.extraBrands?.[id] ?? [])])];
  const directory = mkdtempSync(path.join(tmpdir(), 'serverpos-sim-'));
  const [caPort, ...ports] = await freePorts(7);
  const config = simConfigSchema.parse({
    dataDir: path.join(directory, 'data'),
    crlPollSeconds: overrides.crlPollSeconds ?? 0.5,
    ca: { port: caPort, organization: 'ServerPOS Test PKI', brands: ['VISA', 'MASTER', 'JCB', 'BANK'], keyAlgorithm: 'P-256', certificateValidityMinutes: overrides.certificateValidityMinutes ?? 60, crlValidityMinutes: 60 },
    acquirers: [
      { id: 'ACQ-CARD', name: 'Aozora Card Services', brands: brands('ACQ-CARD', ['VISA', 'MASTER']), port: ports[0], adminPort: ports[1], keyAlgorithm: 'RSA-2048', slowCardSeconds: overrides.slowCardSeconds ?? 1, merchants: [{ merchantNumber: 'M-TEST-0001', storeName: 'Test Books' }, { merchantNumber: 'M-TEST-0002', storeName: 'Second Shop' }] },
      { id: 'ACQ-JCB', name: 'Fuji JCB Acquiring', brands: brands('ACQ-JCB', ['JCB']), port: ports[2], adminPort: ports[3], keyAlgorithm: 'P-256', merchants: [{ merchantNumber: 'J-TEST-0001', storeName: 'Test Books' }] },
      { id: 'ACQ-BANK', name: 'Minato Bank Transfers', brands: brands('ACQ-BANK', ['BANK']), port: ports[4], adminPort: ports[5], keyAlgorithm: 'P-256', merchants: [{ merchantNumber: 'B-TEST-0001', storeName: 'Test Books' }] },
    ],
    partnerSecret: overrides.partnerSecret ?? 'test-partner-secret-0123456789',
    serverposUrl: 'http://127.0.0.1:9',
  });
  const file = path.join(directory, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return { file, config };
}

export class TestWorld {
  private constructor(
    readonly sims: RunningSimulators,
    readonly crls: InMemoryCrlStore,
    private readonly root: x509.X509Certificate,
  ) {}

  static async connect(sims: RunningSimulators): Promise<TestWorld> {
    const { root } = await fetchFromCa<{ root: string }>(sims.config, '/ca/certificates');
    const world = new TestWorld(sims, new InMemoryCrlStore(), parseCertificate(root));
    await world.refreshCrls();
    return world;
  }

  /** A fresh party (own replay cache) that trusts the CA's root and the CRLs fetched so far. */
  party(): Party {
    return partyFor(this.root, this.crls);
  }

  refreshCrls(): Promise<void> {
    return refreshCrls(this.sims.config, this.crls);
  }

  partner(): Record<string, string> {
    return { 'content-type': 'application/json', authorization: `Bearer ${this.sims.config.partnerSecret}` };
  }

  acquirer(id: string) {
    return this.sims.acquirers[id]!;
  }

  /** Enrols a merchant at an acquirer and returns the acquisition number. */
  async apply(acquirerId: string, merchantNumber: string, storeName: string): Promise<{ status: string; acquisitionNumber?: string; code?: string }> {
    const response = await fetch(`${this.acquirer(acquirerId).registryUrl}/applications`, { method: 'POST', headers: this.partner(), body: JSON.stringify({ merchantNumber, storeName }) });
    return (await response.json()) as { status: string; acquisitionNumber?: string };
  }

  async caRecipient(): Promise<Recipient> {
    const { caService } = (await (await fetch(`${this.sims.caUrl}/ca/certificates`)).json()) as { caService: { keyExchange: string[] } };
    return recipientOf(await this.party().validator.validate(caService.keyExchange, { usage: 'keyExchange', roles: ['ca-service'] }));
  }

  /** Runs CertReq → CertRes for a POS; returns the CertRes result and, when issued, the merchant keys. */
  async certify(input: { acquirerId: string; brand: string; merchantNumber: string; posId: string; acquisitionNumber: string }) {
    const keys = await generatePosKeys('RSA-2048');
    const request = await createCertReq({
      keys,
      acquisitionNumber: input.acquisitionNumber,
      requester: { acquirerId: input.acquirerId, merchantNumber: input.merchantNumber, posId: input.posId, brand: input.brand },
      subject: { commonName: `${input.merchantNumber} ${input.posId}`, organization: 'Test Books' },
      ca: await this.caRecipient(),
    });
    const response = await fetch(`${this.sims.caUrl}/ca/cert-req`, { method: 'POST', headers: { 'content-type': 'application/jose' }, body: request.raw });
    if (!response.ok) throw new Error(`CA answered HTTP ${response.status}: ${await response.text()}`);
    const issued = await openCertRes(await response.text(), { party: this.party(), request: request.message, keys });
    return issued;
  }

  /** A merchant with certificates at an acquirer, ready to send gateway requests. */
  async merchant(acquirerId: string, merchantNumber: string, storeName = 'Test Books'): Promise<TestMerchant> {
    const application = await this.apply(acquirerId, merchantNumber, storeName);
    if (!application.acquisitionNumber) throw new Error(`application refused: ${JSON.stringify(application)}`);
    const brand = this.sims.config.acquirers.find((entry) => entry.id === acquirerId)!.brands[0]!;
    const issued = await this.certify({ acquirerId, brand, merchantNumber, posId: 'pos-1', acquisitionNumber: application.acquisitionNumber });
    if (!issued.signer || !issued.keyExchange) throw new Error(`certificates refused: ${issued.message.result.code}`);
    const gateway = (await (await fetch(`${this.acquirer(acquirerId).gatewayUrl}/certificates`)).json()) as { keyExchange: string[] };
    return new TestMerchant(this, acquirerId, merchantNumber, { signer: issued.signer, keyExchange: issued.keyExchange }, gateway.keyExchange);
  }
}

export class TestMerchant {
  constructor(
    readonly world: TestWorld,
    readonly acquirerId: string,
    readonly merchantNumber: string,
    readonly keys: MerchantKeys,
    readonly gatewayKeyExchange: string[],
  ) {}

  async gatewayRecipient(gatewayKeyExchange = this.gatewayKeyExchange): Promise<Recipient> {
    return recipientOf(await this.world.party().validator.validate(gatewayKeyExchange, { usage: 'keyExchange', roles: ['gateway'] }));
  }

  /** A cardholder's purchase up to the merchant's opened PReq (wallet and merchant sides). */
  async purchase(account: PaymentAccount, amount: { value: number; currency: string }, options: { brand?: string; gatewayKeyExchange?: string[] } = {}): Promise<OpenedPReq> {
    const merchantParty = this.world.party();
    const init = createPInitReq({ brand: options.brand ?? (account.kind === 'bank' ? 'BANK' : 'VISA'), orderRef: `order-${Date.now()}` });
    const initRes = await createPInitRes({
      request: init.message,
      amount,
      merchant: { acquirerId: this.acquirerId, merchantNumber: this.merchantNumber },
      gatewayKeyExchange: options.gatewayKeyExchange ?? this.gatewayKeyExchange,
      signer: this.keys.signer,
    });
    const opened = await openPInitRes(initRes.raw, { party: this.world.party(), request: init.message });
    const preq = await createPReq({ init: opened, request: init.message, orderDescription: 'test order', account });
    return openPReq(preq.raw, { party: merchantParty, init: initRes.message });
  }

  /** POSTs a raw SET request to the gateway; returns the HTTP status and body. */
  async post(raw: string, options: { timeoutMs?: number; gatewayUrl?: string } = {}): Promise<{ status: number; body: string }> {
    const response = await fetch(options.gatewayUrl ?? this.world.acquirer(this.acquirerId).gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/jose' },
      body: raw,
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
    return { status: response.status, body: await response.text() };
  }

  /** Opens a gateway answer to `request`. */
  async open<K extends GatewayRequestType>(body: string, request: MessageOf<K>) {
    return (await openGatewayResponse(body, { party: this.world.party(), merchant: this.keys, request })).message;
  }

  /** PReq → AuthReq → gateway → AuthRes, all over HTTP. */
  async authorize(account: PaymentAccount, amount: { value: number; currency: string }, options: { captureNow?: boolean; storeInfoVersion?: number; brand?: string } = {}) {
    const purchase = await this.purchase(account, amount, options);
    const authReq = await createAuthReq(purchase, { merchant: this.keys, gateway: await this.gatewayRecipient(), captureNow: options.captureNow ?? false, ...(options.storeInfoVersion !== undefined ? { storeInfoVersion: options.storeInfoVersion } : {}) });
    const answer = await this.post(authReq.raw);
    if (answer.status !== 200) throw new Error(`gateway answered HTTP ${answer.status}: ${answer.body}`);
    return { request: authReq, raw: answer.body, answer: await this.open(answer.body, authReq.message), purchase };
  }

  async ledger(filter: Record<string, string> = {}) {
    const query = new URLSearchParams({ merchantNumber: this.merchantNumber, ...filter });
    return ((await (await fetch(`${this.world.acquirer(this.acquirerId).adminUrl}/ledger?${query}`)).json()) as { entries: { type: string; xid: string; code: string; amount: number }[] }).entries;
  }
}
