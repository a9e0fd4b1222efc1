/**
 * The demo seed on a database of its own (a fresh embedded PGlite), since it
 * writes fixed codes and addresses that other tests must not see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPin } from '@/lib/auth/pin';
import { createPrismaClient, type Db } from '@/lib/db/client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/schema-engine';
import { ACQUIRER_APPLICATION_KIND } from '@/lib/outbox/enqueue-acquirer-application';
import { DEMO_CONTRACT_PIN, demoBinRanges, seedDemo } from '@/lib/seed/seed-demo';

let embedded: EmbeddedPostgres;
let prisma: Db;
const passwords = { operator: 'demo-operator-password', stores: ['demo-store-password-1', 'demo-store-password-2'] as [string, string] };

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: null });
  await applyMigrations(embedded.url);
  prisma = createPrismaClient(embedded.url, 2);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await embedded?.stop();
});

describe('seedDemo', () => {
  it('creates the demo contracts as applications (APPLIED, PIN 1234, one acquirer.application message each), and leaves them alone on the next start', async () => {
    await seedDemo(prisma, passwords);

    const contracts = await prisma.acquirerContract.findMany({
      orderBy: { merchantNumber: 'asc' },
      include: { store: { select: { name: true } }, acquirer: { select: { code: true } }, posLinks: { select: { status: true, pos: { select: { name: true } } } } },
    });
    expect(contracts.map((contract) => [contract.store.name, contract.acquirer.code, contract.merchantNumber, contract.status])).toEqual([
      ['Kumo Coffee', 'ACQ-BANK', 'B-KUMO-0001', 'APPLIED'],
      ['Sakura Books', 'ACQ-JCB', 'J-SAKURA-0001', 'APPLIED'],
      ['Kumo Coffee', 'ACQ-CARD', 'M-KUMO-0001', 'APPLIED'],
      ['Sakura Books', 'ACQ-CARD', 'M-SAKURA-0001', 'APPLIED'],
    ]);
    for (const contract of contracts) {
      expect(await verifyPin(contract.pinHash, DEMO_CONTRACT_PIN)).toBe(true);
      expect(contract.posLinks).toEqual([{ status: 'PENDING', pos: { name: 'Web shop' } }]);
    }
    const messages = await prisma.outboxMessage.findMany({ where: { kind: ACQUIRER_APPLICATION_KIND } });
    expect(messages.map((message) => (message.payload as { contractId: string }).contractId).sort()).toEqual(contracts.map((contract) => contract.id).sort());

    // The worker enrolled one meanwhile: the next start changes nothing and queues nothing.
    await prisma.acquirerContract.update({ where: { id: contracts[0]!.id }, data: { status: 'VERIFIED', verifiedAt: new Date() } });
    const before = await prisma.acquirerContract.findMany({ orderBy: { id: 'asc' } });
    await seedDemo(prisma, passwords);
    expect(await prisma.acquirerContract.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    expect(await prisma.outboxMessage.count({ where: { kind: ACQUIRER_APPLICATION_KIND } })).toBe(4);
    expect(await prisma.posAcquirer.count()).toBe(4);
  });

  it('seeds the BIN-range table once, and leaves the operator’s changes alone on the next start', async () => {
    await seedDemo(prisma, passwords);
    const ranges = await prisma.binRange.findMany({ include: { acquirer: { select: { code: true } } }, orderBy: { binFrom: 'asc' } });
    expect(ranges.map((range) => [range.acquirer.code, range.brand, range.binFrom, range.binTo])).toEqual(
      [...demoBinRanges].sort((a, b) => (a.binFrom < b.binFrom ? -1 : 1)).map((range) => [range.acquirer, range.brand, range.binFrom, range.binTo]),
    );

    // The operator deletes one (as the console does, audited): the next start does not bring it back.
    await prisma.binRange.delete({ where: { id: ranges[0]!.id } });
    await prisma.auditEvent.create({ data: { actorType: 'OPERATOR', action: 'acquirer.bin_range_deleted', targetType: 'BinRange', targetId: ranges[0]!.id } });
    await seedDemo(prisma, passwords);
    expect(await prisma.binRange.count()).toBe(demoBinRanges.length - 1);
  });
});
