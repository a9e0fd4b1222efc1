import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchGatewayCertificates } from '@/lib/acquirers/fetch-gateway-certificates';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('fetchGatewayCertificates', () => {
  it('reads both chains a real gateway publishes: leaf first, role, acquirer, serial, validity and days left', async () => {
    const { gatewayUrl } = world.sims.acquirers['ACQ-CARD']!;
    const now = new Date();

    const result = await fetchGatewayCertificates({ code: 'ACQ-CARD', gatewayUrl, now });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.url).toBe(`${gatewayUrl}/certificates`);
    expect(result.chains.map((chain) => chain.usage)).toEqual(['signature', 'keyExchange']);
    for (const chain of result.chains) {
      expect(chain.unreadable).toBe(0);
      expect(chain.validation).toEqual({ ok: true });
      const [leaf, issuer] = chain.certificates;
      expect(leaf).toMatchObject({ role: 'gateway', acquirerId: 'ACQ-CARD', serialNumber: expect.stringMatching(/^[0-9a-f]+$/i) });
      expect(issuer?.role).toBe('gateway-ca');
      expect(leaf!.issuer).toBe(issuer!.subject);
      expect(leaf!.notAfter.getTime()).toBeGreaterThan(now.getTime());
      expect(leaf!.daysLeft).toBe(Math.ceil((leaf!.notAfter.getTime() - now.getTime()) / 86_400_000));
    }
    // Read under another acquirer's code, the same chains are shown but do not validate: they name ACQ-CARD.
    const misfiled = await fetchGatewayCertificates({ code: 'ACQ-JCB', gatewayUrl, now });
    expect(misfiled.ok && misfiled.chains.map((chain) => chain.validation)).toEqual([
      { ok: false, code: 'identity_mismatch', message: 'The certificate names another acquirer.' },
      { ok: false, code: 'identity_mismatch', message: 'The certificate names another acquirer.' },
    ]);
    // Two keys, two certificates.
    expect(result.chains[0]!.certificates[0]!.serialNumber).not.toBe(result.chains[1]!.certificates[0]!.serialNumber);
  });

  it('says what went wrong instead of throwing: nothing listening, an HTTP error', async () => {
    const unreachable = await fetchGatewayCertificates({ code: 'ACQ-CARD', gatewayUrl: 'http://127.0.0.1:9/set' });
    expect(unreachable).toEqual({ ok: false, url: 'http://127.0.0.1:9/set/certificates', problem: 'The gateway cannot be reached.' });

    const { gatewayUrl } = world.sims.acquirers['ACQ-CARD']!;
    const wrongPath = await fetchGatewayCertificates({ code: 'ACQ-CARD', gatewayUrl: `${gatewayUrl}/nothing-here` });
    expect(wrongPath).toMatchObject({ ok: false, problem: expect.stringMatching(/^The gateway answered HTTP 4\d\d\.$/) });
  });
});
