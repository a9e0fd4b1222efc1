import '@/lib/crypto/use-native-crypto';
import { createWorld } from '@/lib/set/testing/world';
import { createPInitReq, createPInitRes, openPInitReq, openPInitRes, createPReq, openPReq, createPRes, openPRes } from '@/lib/set';
import { walletParty } from '@/lib/checkout/run-wallet';
import { certificateToBase64 } from '@/lib/pki';
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';

const card = { kind: 'card' as const, pan: '4111111111111111', expiry: '2031-12', cvc: '123' };
const world = await createWorld({ algorithm: 'P-256', caAlgorithm: 'P-256', gatewayAlgorithm: 'RSA-2048' });
const merchantParty = world.party();
const w = world as unknown as { hierarchy: { root: { certificate: import('@/lib/pki').x509.X509Certificate } }; crls?: unknown };
console.log(Object.keys(world));
const t: Record<string, number[]> = {};
const time = async <T>(name: string, f: () => Promise<T>) => { const s = performance.now(); const r = await f(); (t[name] ??= []).push(performance.now() - s); return r; };
const session = new Session(); session.connect();
for (let i = 0; i < 120; i++) {
  if (i === 20) { await session.post('Profiler.enable'); await session.post('Profiler.start'); for (const k of Object.keys(t)) t[k] = []; }
  const wallet = await time('party', async () => world.party());
  const orderDescription = '1 × Teapot @ 12800 JPY';
  const init = createPInitReq({ brand: 'VISA', orderRef: 'order-1', bin: card.pan.slice(0, 6) });
  const initRes = await createPInitRes({ request: await openPInitReq(init.raw, merchantParty), amount: { value: 12_800, currency: 'JPY' }, merchant: { acquirerId: world.merchant.acquirerId, merchantNumber: world.merchant.merchantNumber }, gatewayKeyExchange: world.gateways.a.keyExchange.x5c, signer: world.merchant.signer });
  const opened = await time('openPInitRes', () => openPInitRes(initRes.raw, { party: wallet, request: init.message }));
  const preq = await time('createPReq', () => createPReq({ init: opened, request: init.message, orderDescription, account: card }));
  const atMerchant = await openPReq(preq.raw, { party: merchantParty, init: initRes.message });
  const pres = await createPRes({ preq: atMerchant, result: { status: 'approved', code: 'approved', authCode: 'A1B2C3' }, signer: world.merchant.signer });
  await time('openPRes', () => openPRes(pres.raw, { party: wallet, preq: preq.message, oi: preq.oi, merchant: opened.merchant }));
}
const { profile } = await session.post('Profiler.stop');
await writeFile('/tmp/prof/wallet.cpuprofile', JSON.stringify(profile));
for (const [k, v] of Object.entries(t)) { v.sort((a, b) => a - b); console.log(k, 'p50', v[Math.floor(v.length / 2)]!.toFixed(2), 'ms'); }
process.exit(0);
