import { createWorld } from '@/lib/set/testing/world';
import { parseCrl, initialCrls } from '@/lib/pki';
import * as asn1js from 'asn1js';
const world = await createWorld({ algorithm: 'P-256', caAlgorithm: 'P-256', gatewayAlgorithm: 'RSA-2048' });
const w = world as any;
console.log(Object.keys(w.hierarchy ?? {}), typeof w.crls);
const crls = await initialCrls(w.hierarchy, { nextUpdate: new Date(Date.now() + 86400000) });
const ders = crls.map((c: any) => new Uint8Array(c.rawData));
console.log('crls', ders.length, ders.map((d: Uint8Array) => d.length));
for (const [name, f] of [['X509Crl', (d: Uint8Array) => parseCrl(d)], ['asn1js', (d: Uint8Array) => asn1js.fromBER(d)]] as const) {
  for (let i = 0; i < 50; i++) for (const d of ders) f(d);
  const s = performance.now(); const N = 300;
  for (let i = 0; i < N; i++) for (const d of ders) f(d);
  console.log(name, ((performance.now() - s) / N / ders.length).toFixed(3), 'ms per CRL');
}
process.exit(0);
