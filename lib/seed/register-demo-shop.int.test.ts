import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { registerDemoShop } from '@/lib/seed/register-demo-shop';
import { createEnrolledStore, startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

describe('registerDemoShop', () => {
  it('registers the POS with each verified acquirer using the e-mailed number, skips what it cannot, and is a no-op the next time', async () => {
    const store = await createEnrolledStore(world, { acquirerCode: 'ACQ-CARD' });
    // A second contract the acquirer has not verified (yet): nothing to register with.
    const jcb = await db().acquirer.findUniqueOrThrow({ where: { code: 'ACQ-JCB' } });
    const pending = await db().acquirerContract.create({ data: { storeId: store.storeId, acquirerId: jcb.id, merchantNumber: `J-PENDING-${store.storeId.slice(0, 8)}`, status: 'APPLIED' } });
    await db().posAcquirer.create({ data: { storeId: store.storeId, posId: store.posId, acquirerId: jcb.id, contractId: pending.id } });
    const asked: string[] = [];
    const findAcquisitionNumber = async (acquirer: { name: string; merchantNumber: string }) => {
      asked.push(`${acquirer.name} ${acquirer.merchantNumber}`);
      return acquirer.merchantNumber === store.merchantNumber ? store.acquisitionNumber : undefined;
    };

    const first = await registerDemoShop({ storeId: store.storeId, posId: store.posId, findAcquisitionNumber, timeoutMs: 1_000 });

    expect(first).toEqual([
      { acquirer: 'Aozora Card Services', outcome: 'registered' },
      { acquirer: 'Fuji JCB Acquiring', outcome: 'not_verified' },
    ]);
    expect(asked).toEqual([`Aozora Card Services ${store.merchantNumber}`]);
    const link = await db().posAcquirer.findUniqueOrThrow({ where: { id: store.posAcquirerId }, include: { certificates: { where: { status: 'ACTIVE' }, select: { usage: true } } } });
    expect(link.status).toBe('REGISTERED');
    expect(link.certificates.map((certificate) => certificate.usage).sort()).toEqual(['KEY_EXCHANGE', 'SIGNATURE']);

    const again = await registerDemoShop({ storeId: store.storeId, posId: store.posId, findAcquisitionNumber, timeoutMs: 1_000 });
    expect(again[0]).toEqual({ acquirer: 'Aozora Card Services', outcome: 'already_registered' });
    expect(await db().certificate.count({ where: { posAcquirerId: store.posAcquirerId } })).toBe(2);
  });

  it('says so when the acquirer’s e-mail cannot be found', async () => {
    const store = await createEnrolledStore(world, { acquirerCode: 'ACQ-CARD' });
    const outcomes = await registerDemoShop({ storeId: store.storeId, posId: store.posId, findAcquisitionNumber: async () => undefined });
    expect(outcomes).toEqual([{ acquirer: 'Aozora Card Services', outcome: 'no_acquisition_number' }]);
    expect((await db().posAcquirer.findUniqueOrThrow({ where: { id: store.posAcquirerId } })).status).toBe('PENDING');
  });
});
