import { hashPassword } from '@/lib/auth/password';
import { hashPin } from '@/lib/auth/pin';
import { systemActor } from '@/lib/audit/record-audit-event';
import type { Db } from '@/lib/db/client';
import { seedDemoHistory } from '@/lib/seed/seed-demo-history';
import { applyForContractInTx } from '@/lib/stores/apply-for-contract';

export interface DemoLogins {
  operator: { email: string; password: string };
  stores: { storeId: string; storeName: string; email: string; password: string }[];
}

/** The demo acquirers; their gateways are the simulators under sim/. */
export const demoAcquirers = [
  { code: 'ACQ-CARD', name: 'Aozora Card Services', brands: ['VISA', 'MASTER'], gatewayUrl: 'http://127.0.0.1:7101/set', registryUrl: 'http://127.0.0.1:7101/registry' },
  { code: 'ACQ-JCB', name: 'Fuji JCB Acquiring', brands: ['JCB'], gatewayUrl: 'http://127.0.0.1:7102/set', registryUrl: 'http://127.0.0.1:7102/registry' },
  { code: 'ACQ-BANK', name: 'Minato Bank Transfers', brands: ['BANK'], gatewayUrl: 'http://127.0.0.1:7103/set', registryUrl: 'http://127.0.0.1:7103/registry' },
] as const;

/**
 * The demo BIN-range table: the brands' usual BIN ranges at the acquirers that take them. In the demo each
 * brand has one acquirer, so these only show the table; the operator adds ranges where brands overlap.
 */
export const demoBinRanges = [
  { acquirer: 'ACQ-CARD', brand: 'VISA', binFrom: '400000', binTo: '499999' },
  { acquirer: 'ACQ-CARD', brand: 'MASTER', binFrom: '510000', binTo: '559999' },
  { acquirer: 'ACQ-JCB', brand: 'JCB', binFrom: '352800', binTo: '358999' },
] as const;

/** The PIN of every demo contract (password recovery asks for a merchant number and its PIN). */
export const DEMO_CONTRACT_PIN = '1234';

const demoStores = [
  { name: 'Sakura Books', email: 'owner@sakura-books.test', owner: 'Hana Sato', contracts: { 'ACQ-CARD': 'M-SAKURA-0001', 'ACQ-JCB': 'J-SAKURA-0001' } },
  { name: 'Kumo Coffee', email: 'owner@kumo-coffee.test', owner: 'Ken Mori', contracts: { 'ACQ-CARD': 'M-KUMO-0001', 'ACQ-BANK': 'B-KUMO-0001' } },
] as const;

/**
 * Creates (or brings up to date) the demo operator, acquirers and two active
 * stores with a POS each. Safe to run on every start: everything is keyed by a
 * unique code or address, and existing passwords are reset to the given ones.
 *
 * A demo contract is created the way a store's application is (APPLIED, PIN
 * 1234, an `acquirer.application` message in the outbox), so the worker enrols
 * it at the simulated acquirer for real and the e-mail with its certificate
 * acquisition number lands in the demo inbox. Contracts that exist are left as
 * they are: the seed runs on every start and must not re-apply.
 */
export async function seedDemo(
  prisma: Db,
  passwords: { operator: string; stores: [string, string] },
  /** Where each acquirer's simulator listens, when not on the demo's ports (the browser tests use free ports). */
  acquirerUrls: Record<string, { gatewayUrl: string; registryUrl: string }> = {},
): Promise<DemoLogins> {
  const operatorEmail = 'operator@serverpos.test';
  const operatorHash = await hashPassword(passwords.operator);
  await prisma.operatorUser.upsert({
    where: { email: operatorEmail },
    create: { email: operatorEmail, name: 'Demo Operator', passwordHash: operatorHash },
    update: { passwordHash: operatorHash, failedLoginCount: 0, lockedUntil: null },
  });

  const acquirerRows = new Map<string, { id: string; code: string; name: string }>();
  for (const demoAcquirer of demoAcquirers) {
    const acquirer = { ...demoAcquirer, ...acquirerUrls[demoAcquirer.code] };
    const row = await prisma.acquirer.upsert({
      where: { code: acquirer.code },
      create: { ...acquirer, brands: [...acquirer.brands] },
      update: { name: acquirer.name, brands: [...acquirer.brands], gatewayUrl: acquirer.gatewayUrl, registryUrl: acquirer.registryUrl },
      select: { id: true, code: true, name: true },
    });
    acquirerRows.set(acquirer.code, row);
  }
  // Seeded into an empty table only, and never once the operator has deleted a range: what the operator
  // changed stays changed on the next start.
  if ((await prisma.binRange.count()) === 0 && (await prisma.auditEvent.count({ where: { action: 'acquirer.bin_range_deleted' } })) === 0) {
    await prisma.binRange.createMany({
      data: demoBinRanges.map((range) => ({ acquirerId: acquirerRows.get(range.acquirer)!.id, brand: range.brand, binFrom: range.binFrom, binTo: range.binTo })),
    });
  }
  let pinHash: string | undefined;

  const stores: DemoLogins['stores'] = [];
  for (const [index, demo] of demoStores.entries()) {
    const password = passwords.stores[index]!;
    const passwordHash = await hashPassword(password);
    const existing = await prisma.storeUser.findUnique({ where: { email: demo.email }, select: { storeId: true } });
    const missingContracts = existing
      ? Object.keys(demo.contracts).length - (await prisma.acquirerContract.count({ where: { storeId: existing.storeId, acquirer: { code: { in: Object.keys(demo.contracts) } } } }))
      : Object.keys(demo.contracts).length;
    if (missingContracts > 0) pinHash ??= await hashPin(DEMO_CONTRACT_PIN);
    const storeId = await prisma.$transaction(async (tx) => {
      const store = existing
        ? await tx.store.update({ where: { id: existing.storeId }, data: { status: 'ACTIVE' }, select: { id: true, name: true, contactEmail: true } })
        : await tx.store.create({ data: { name: demo.name, contactEmail: demo.email, status: 'ACTIVE' }, select: { id: true, name: true, contactEmail: true } });
      await tx.storeUser.upsert({
        where: { email: demo.email },
        create: { storeId: store.id, email: demo.email, name: demo.owner, passwordHash, emailVerifiedAt: new Date() },
        update: { passwordHash, failedLoginCount: 0, lockedUntil: null },
      });
      const pos = await tx.pos.upsert({
        where: { storeId_name: { storeId: store.id, name: 'Web shop' } },
        create: { storeId: store.id, name: 'Web shop' },
        update: {},
        select: { id: true },
      });
      for (const [code, merchantNumber] of Object.entries(demo.contracts)) {
        const acquirer = acquirerRows.get(code)!;
        const contract = await tx.acquirerContract.findUnique({ where: { storeId_acquirerId: { storeId: store.id, acquirerId: acquirer.id } }, select: { id: true } });
        if (!contract) {
          // Links the POS too, and queues the application that the worker sends to the simulated acquirer.
          await applyForContractInTx(tx, { store, actor: systemActor, acquirer, merchantNumber, pinHash: pinHash! });
          continue;
        }
        await tx.posAcquirer.upsert({
          where: { posId_acquirerId: { posId: pos.id, acquirerId: acquirer.id } },
          create: { storeId: store.id, posId: pos.id, acquirerId: acquirer.id, contractId: contract.id },
          update: {},
        });
      }
      return store.id;
    });
    stores.push({ storeId, storeName: demo.name, email: demo.email, password });
  }

  const welcome = 'Welcome to ServerPOS';
  if (!(await prisma.notice.findFirst({ where: { title: welcome, storeId: null } }))) {
    await prisma.notice.create({
      data: { title: welcome, body: 'Your console shows your POSes, certificates and payments. Certificates that expire soon are listed here at every sign-in.' },
    });
  }
  // About 60 days of past payments for the statistics pages; written once, then left alone.
  await seedDemoHistory(prisma);
  return { operator: { email: operatorEmail, password: passwords.operator }, stores };
}
