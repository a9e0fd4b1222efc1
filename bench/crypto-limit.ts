/**
 * Part "crypto": the physical ceiling for authorizations on this machine.
 *
 * 1. One authorization runs in this process the way the deployed parties run
 *    it — the wallet (a fresh one per purchase, as a new checkout page
 *    validates the chains afresh), ServerPOS and the gateway (both in steady
 *    state, their peers' chains already validated) — with keys of the same
 *    algorithms as the simulated world the end-to-end part uses: P-256 POS
 *    keys and CA, an RSA-2048 card gateway. Every public-key operation it
 *    performs is recorded: the SET backend's (sign, verify, RSA-OAEP, ECDH)
 *    and WebCrypto's (certificate and CRL signatures in chain validation).
 * 2. That list is replayed with node:crypto's synchronous OpenSSL calls (no
 *    I/O, no parsing, no JSON) on every core at once, each core in its own
 *    process, for a few seconds: the list completions per second are the
 *    crypto limit. Symmetric work (AES-GCM, SHA-256 of a few kB) is left out,
 *    as the issue defines the limit by the private- and public-key operations.
 */
import os from 'node:os';
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createAuthReq,
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
  setCryptoBackend,
  verifyPaymentInstructions,
  type CryptoBackend,
} from '@/lib/set';
import { nodeCryptoBackend } from '@/lib/set/crypto/node';
import { createWorld, type World } from '@/lib/set/testing/world';
import type { BenchPart } from './support/part';

/** One public-key operation of an authorization, as the replay performs it. */
export interface KeyOperation {
  party: 'wallet' | 'serverpos' | 'gateway';
  /** sign/verify: a signature over `bytes` bytes; encrypt/decrypt: RSA-OAEP of `bytes` bytes; ecdh-*: P-256 agreement. */
  kind: 'sign' | 'verify' | 'encrypt' | 'decrypt' | 'ecdh-ephemeral' | 'ecdh-derive';
  key: 'RSA-2048' | 'P-256';
  bytes: number;
}

type Party = KeyOperation['party'];
let recordingFor: Party | null = null;
const recorded: KeyOperation[] = [];
const record = (operation: Omit<KeyOperation, 'party'>) => {
  if (recordingFor) recorded.push({ party: recordingFor, ...operation });
};
const keyOf = (key: CryptoKey): KeyOperation['key'] => (key.algorithm.name.startsWith('RSA') ? 'RSA-2048' : 'P-256');

/** The server backend, each public-key call recorded on its way through. */
const recordingBackend: CryptoBackend = {
  ...nodeCryptoBackend,
  async sign(alg, privateKey, data) {
    record({ kind: 'sign', key: keyOf(privateKey), bytes: data.length });
    return nodeCryptoBackend.sign(alg, privateKey, data);
  },
  async verify(alg, publicKey, data, signature) {
    record({ kind: 'verify', key: keyOf(publicKey), bytes: data.length });
    return nodeCryptoBackend.verify(alg, publicKey, data, signature);
  },
  async rsaOaepEncrypt(publicKey, data) {
    record({ kind: 'encrypt', key: 'RSA-2048', bytes: data.length });
    return nodeCryptoBackend.rsaOaepEncrypt(publicKey, data);
  },
  async rsaOaepDecrypt(privateKey, data) {
    const plain = await nodeCryptoBackend.rsaOaepDecrypt(privateKey, data);
    record({ kind: 'decrypt', key: 'RSA-2048', bytes: plain.length });
    return plain;
  },
  async ecdhEphemeral(recipient) {
    record({ kind: 'ecdh-ephemeral', key: 'P-256', bytes: 32 });
    return nodeCryptoBackend.ecdhEphemeral(recipient);
  },
  async ecdhDerive(privateKey, epk) {
    record({ kind: 'ecdh-derive', key: 'P-256', bytes: 32 });
    return nodeCryptoBackend.ecdhDerive(privateKey, epk);
  },
};

/** Chain validation verifies certificate and CRL signatures through WebCrypto: those are recorded too. */
function recordWebCryptoVerify(): () => void {
  const subtle = globalThis.crypto.subtle;
  const original = subtle.verify.bind(subtle);
  subtle.verify = (async (algorithm: AlgorithmIdentifier | RsaPssParams | EcdsaParams, key: CryptoKey, signature: BufferSource, data: BufferSource) => {
    record({ kind: 'verify', key: keyOf(key), bytes: (data as ArrayBufferView | ArrayBuffer).byteLength });
    return original(algorithm, key, signature, data);
  }) as typeof subtle.verify;
  return () => {
    subtle.verify = original;
  };
}

const card = { kind: 'card' as const, pan: '4111111111111111', expiry: '2031-12', cvc: '123' };

/** One authorization between a fresh wallet, ServerPOS and the gateway, each party's operations recorded as its own. */
async function authorize(world: World, merchantParty: ReturnType<World['party']>, gatewayParty: ReturnType<World['party']>): Promise<void> {
  const as = async <T>(party: Party, step: () => Promise<T>): Promise<T> => {
    recordingFor = party;
    try {
      return await step();
    } finally {
      recordingFor = null;
    }
  };
  const wallet = world.party();
  const orderDescription = '1 × Teapot @ 12800 JPY';
  const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1', bin: card.pan.slice(0, 6) });
  const initRes = await as('serverpos', async () =>
    createPInitRes({
      request: await openPInitReq(init.raw, merchantParty),
      amount: { value: 12_800, currency: 'JPY' },
      merchant: { acquirerId: world.merchant.acquirerId, merchantNumber: world.merchant.merchantNumber },
      gatewayKeyExchange: world.gateways.a.keyExchange.x5c,
      signer: world.merchant.signer,
    }),
  );
  const opened = await as('wallet', () => openPInitRes(initRes.raw, { party: wallet, request: init.message }));
  const preq = await as('wallet', () => createPReq({ init: opened, request: init.message, orderDescription, account: card }));
  const atMerchant = await as('serverpos', () => openPReq(preq.raw, { party: merchantParty, init: initRes.message }));
  const authReq = await as('serverpos', () => createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, captureNow: false }));
  const authRes = await as('gateway', async () => {
    const request = await openGatewayRequest(authReq.raw, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
    if (request.message.msg !== 'AuthReq') throw new Error('not an AuthReq');
    const withPi = { ...request, message: request.message };
    await verifyPaymentInstructions(withPi, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
    return createGatewayResponse(withPi, { xid: request.message.xid, amount: request.message.amount, result: { status: 'approved', code: 'approved', authCode: 'A1B2C3' }, captured: false }, { signer: world.gateways.a.signer });
  });
  const answer = await as('serverpos', () => openGatewayResponse(authRes.raw, { party: merchantParty, merchant: world.merchant, request: authReq.message }));
  if (answer.message.msg !== 'AuthRes') throw new Error('not an AuthRes');
  const pres = await as('serverpos', () => createPRes({ preq: atMerchant, result: { status: 'approved', code: 'approved', authCode: 'A1B2C3' }, signer: world.merchant.signer }));
  const result = await as('wallet', () => openPRes(pres.raw, { party: wallet, preq: preq.message, oi: preq.oi, merchant: opened.merchant }));
  if (result.result.status !== 'approved') throw new Error('the recorded authorization was not approved');
}

/** The public-key operations of one authorization, recorded from a real one (after a warm-up one). */
export async function recordAuthorizationOperations(): Promise<KeyOperation[]> {
  setCryptoBackend(recordingBackend);
  const restore = recordWebCryptoVerify();
  try {
    const world = await createWorld({ algorithm: 'P-256', caAlgorithm: 'P-256', gatewayAlgorithm: 'RSA-2048' });
    const merchantParty = world.party();
    const gatewayParty = world.party();
    await authorize(world, merchantParty, gatewayParty);
    recorded.length = 0;
    await authorize(world, merchantParty, gatewayParty);
    return [...recorded];
  } finally {
    restore();
    setCryptoBackend(nodeCryptoBackend);
  }
}

/** The replay, as a child process's source: plain JavaScript on node:crypto, so no loader is needed. */
const replaySource = `
const crypto = require('node:crypto');
const { operations, durationMs, startAt } = JSON.parse(process.env.REPLAY_INPUT);
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const peer = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pss = (key) => ({ key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
const oaep = (key) => ({ key, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' });
const steps = operations.map((op) => {
  const data = crypto.randomBytes(op.bytes);
  const keys = op.key === 'RSA-2048' ? { priv: pss(rsa.privateKey), pub: pss(rsa.publicKey) } : { priv: { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }, pub: { key: ec.publicKey, dsaEncoding: 'ieee-p1363' } };
  switch (op.kind) {
    case 'sign': return () => crypto.sign('sha256', data, keys.priv);
    case 'verify': { const signature = crypto.sign('sha256', data, keys.priv); return () => { if (!crypto.verify('sha256', data, keys.pub, signature)) throw new Error('verify failed'); }; }
    case 'encrypt': return () => crypto.publicEncrypt(oaep(rsa.publicKey), data);
    case 'decrypt': { const sealed = crypto.publicEncrypt(oaep(rsa.publicKey), data); return () => crypto.privateDecrypt(oaep(rsa.privateKey), sealed); }
    case 'ecdh-ephemeral': { const jwk = peer.publicKey.export({ format: 'jwk' }); const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]); return () => { const e = crypto.createECDH('prime256v1'); e.generateKeys(); e.computeSecret(point); }; }
    case 'ecdh-derive': { const jwk = peer.publicKey.export({ format: 'jwk' }); return () => crypto.diffieHellman({ privateKey: ec.privateKey, publicKey: crypto.createPublicKey({ key: jwk, format: 'jwk' }) }); }
  }
  throw new Error('unknown operation ' + op.kind);
});
const once = () => { for (const step of steps) step(); };
for (let i = 0; i < 20; i++) once();
// Every process starts at the same moment, named by the parent; one that is late says so by the time it measured.
while (Date.now() < startAt) { /* the other processes are still warming up */ }
let count = 0;
const start = performance.now();
while (performance.now() - start < durationMs) { once(); count++; }
process.stdout.write(JSON.stringify({ count, ms: performance.now() - start }));
`;

/**
 * Replays the operations in `processes` processes at once; completions per second over all of them.
 * Processes rather than worker threads (a worker thread that never answered refused to terminate), and no IPC:
 * the parent names a common start time, each process warms up, waits for it, measures, prints its count on
 * stdout and exits: a process's exit and its output are the plainest signals.
 */
export async function replayOnAllCores(operations: KeyOperation[], processes: number, durationMs: number, log?: (line: string) => void): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await replayOnce(operations, processes, durationMs);
    } catch (error) {
      if (attempt === REPLAY_ATTEMPTS) throw error;
      log?.(`${String(error)}; replaying once more`);
    }
  }
}

/**
 * A replay process used to stop for good now and then: its main thread waited on a lock it held itself. Node 20
 * deadlocks exporting a key made by generateKeyPairSync when a garbage collection during the export destroys
 * the job that generated it (the job's destructor takes the key's lock, which the export holds). The ephemeral
 * ECDH now uses an ECDH object, as the server's crypto backend does (lib/set/crypto/node.ts); a process that
 * still never finishes is killed and the replay run again.
 */
const REPLAY_ATTEMPTS = 4;

/** Time for every process to start and warm up before the common start. */
const WARM_UP_MS = 5_000;

async function replayOnce(operations: KeyOperation[], processes: number, durationMs: number): Promise<number> {
  const { NODE_OPTIONS: _ignored, ...env } = process.env;
  const startAt = Date.now() + WARM_UP_MS;
  const children = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['-e', replaySource], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...env, REPLAY_INPUT: JSON.stringify({ operations, durationMs, startAt }) } }),
  );
  // A process that dies or never finishes fails the part instead of hanging the suite.
  const result = (child: ChildProcess) =>
    new Promise<{ count: number; ms: number }>((resolve, reject) => {
      let output = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const timer = setTimeout(() => reject(new Error('a replay process did not finish within 15 s of its time')), WARM_UP_MS + durationMs + 15_000);
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        try {
          if (code !== 0) throw new Error(`a replay process exited with code ${code}`);
          resolve(JSON.parse(output) as { count: number; ms: number });
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  try {
    const results = await Promise.all(children.map(result));
    return results.reduce((total, one) => total + (one.count * 1000) / one.ms, 0);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

export const cryptoLimitPart: BenchPart = {
  name: 'crypto',
  title: 'Crypto limit (public-key operations of one authorization, every core, no I/O)',
  async run(context) {
    const operations = await recordAuthorizationOperations();
    const count = (party: Party, kinds: KeyOperation['kind'][]) => operations.filter((op) => op.party === party && kinds.includes(op.kind)).length;
    for (const party of ['wallet', 'serverpos', 'gateway'] as const) {
      const mine = operations.filter((op) => op.party === party).map((op) => `${op.kind} ${op.key}`);
      context.log(`${party}: ${mine.length} operations (${mine.join(', ')})`);
    }
    const cores = os.cpus().length;
    const durationMs = context.quick ? 1_500 : 5_000;
    const oneCore = await replayOnAllCores(operations, 1, durationMs, context.log);
    const limit = await replayOnAllCores(operations, cores, durationMs, context.log);
    context.log(`one core: ${oneCore.toFixed(0)}/s, ${cores} cores: ${limit.toFixed(0)}/s`);
    const privateOps = (party: Party) => count(party, ['sign', 'decrypt', 'ecdh-ephemeral', 'ecdh-derive']);
    return {
      figures: [
        { id: 'crypto.limit_per_s', label: `crypto limit, ${cores} cores`, value: limit, unit: 'auth/s', note: `${operations.length} public-key operations per authorization: wallet ${count('wallet', ['sign', 'verify', 'encrypt', 'decrypt', 'ecdh-ephemeral', 'ecdh-derive'])}, ServerPOS ${count('serverpos', ['sign', 'verify', 'encrypt', 'decrypt', 'ecdh-ephemeral', 'ecdh-derive'])}, gateway ${count('gateway', ['sign', 'verify', 'encrypt', 'decrypt', 'ecdh-ephemeral', 'ecdh-derive'])}` },
        { id: 'crypto.limit_one_core_per_s', label: 'crypto limit, one core', value: oneCore, unit: 'auth/s' },
        { id: 'crypto.private_ops', label: 'private-key operations per authorization', value: privateOps('wallet') + privateOps('serverpos') + privateOps('gateway'), unit: 'ops', note: `ServerPOS ${privateOps('serverpos')}, gateway ${privateOps('gateway')}, wallet ${privateOps('wallet')}` },
      ],
      details: { operations, processes: cores },
    };
  },
};
