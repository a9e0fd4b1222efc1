import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { applyAtAcquirer } from '@/lib/acquirers/registry-client';
import { sha256Hex } from '@/lib/auth/tokens';
import { db } from '@/lib/db/client';
import { env, resetEnvForTests } from '@/lib/env';
import { createStoreWithOwner } from '@/lib/testing/fixtures';
import { startSimulators, type RunningSimulators } from '@/sim/start-simulators';
import { writeTestConfig } from '@/sim/testing/test-merchant';

/**
 * The simulated CA and acquirers as real processes on free ports, for
 * integration tests of ServerPOS against them: the Acquirer rows point at
 * these simulators and CA_URL at this CA. Merchants under contract (see
 * writeTestConfig): ACQ-CARD M-TEST-0001 "Test Books" and M-TEST-0002
 * "Second Shop", ACQ-JCB J-TEST-0001 and ACQ-BANK B-TEST-0001 "Test Books".
 */
export interface SimWorld {
  sims: RunningSimulators;
  acquirerIds: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSimWorld(options: { certificateValidityMinutes?: number; extraBrands?: Record<string, string[]> } = {}): Promise<SimWorld> {
  const { file, config } = await writeTestConfig({ partnerSecret: env().PARTNER_SECRET, ...options });
  const log = createWriteStream(path.join(path.dirname(file), 'sims.log'));
  const sims = await startSimulators({ configFile: file, output: (name, line) => log.write(`[${name}] ${line}\n`) });
  process.env.CA_URL = sims.caUrl;
  resetEnvForTests();
  const acquirerIds: Record<string, string> = {};
  for (const acquirer of config.acquirers) {
    const urls = sims.acquirers[acquirer.id]!;
    const row = await db().acquirer.upsert({
      where: { code: acquirer.id },
      create: { code: acquirer.id, name: acquirer.name, brands: acquirer.brands, gatewayUrl: `${urls.gatewayUrl}`, registryUrl: urls.registryUrl },
      update: { name: acquirer.name, brands: acquirer.brands, gatewayUrl: `${urls.gatewayUrl}`, registryUrl: urls.registryUrl, status: 'ACTIVE' },
      select: { id: true },
    });
    acquirerIds[acquirer.id] = row.id;
  }
  return {
    sims,
    acquirerIds,
    async stop() {
      await sims.stop();
      log.end();
    },
  };
}

/**
 * A store enrolled for real at one acquirer of the world (the registry verified
 * it and issued an acquisition number), with a POS linked to that contract:
 * under a merchant number of the config when given, else under a new one.
 */
export async function createEnrolledStore(world: SimWorld, options: { acquirerCode?: string; merchantNumber?: string; storeName?: string; posName?: string } = {}) {
  const storeName = options.storeName ?? 'Test Books';
  const owner = await createStoreWithOwner({ status: 'PENDING' });
  await db().store.update({ where: { id: owner.storeId }, data: { name: storeName } });
  const pos = await db().pos.create({ data: { storeId: owner.storeId, name: options.posName ?? 'Web shop' } });
  const enrolled = await enrolAt(world, { storeId: owner.storeId, storeName, acquirerCode: options.acquirerCode ?? 'ACQ-CARD', posIds: [pos.id], ...(options.merchantNumber ? { merchantNumber: options.merchantNumber } : {}) });
  return { ...owner, ...enrolled, posId: pos.id, posAcquirerId: enrolled.posAcquirerIds[0]! };
}

/**
 * Enrols an existing store at one more acquirer of the world and links the given POSes to the contract.
 * Without a merchant number, a new merchant contract is first signed at the acquirer (its back office),
 * so that tests which withdraw never share a merchant.
 */
export async function enrolAt(world: SimWorld, options: { storeId: string; storeName: string; acquirerCode: string; merchantNumber?: string; posIds: string[] }) {
  const { storeId, storeName, acquirerCode } = options;
  const merchantNumber = options.merchantNumber ?? `${acquirerCode.slice(4, 5)}-${randomUUID().slice(0, 13).toUpperCase()}`;
  if (!options.merchantNumber) {
    const response = await fetch(`${world.sims.acquirers[acquirerCode]!.adminUrl}/merchants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ merchantNumber, storeName }) });
    if (!response.ok) throw new Error(`the acquirer refused a new merchant contract: HTTP ${response.status}`);
  }
  const acquirer = await db().acquirer.findUniqueOrThrow({ where: { code: acquirerCode } });
  // A merchant number may already be held by a store from an earlier test of this run: free it.
  await db().acquirerContract.updateMany({ where: { acquirerId: acquirer.id, merchantNumber }, data: { merchantNumber: `old-${randomUUID().slice(0, 8)}` } });
  const answer = await applyAtAcquirer(acquirer, { merchantNumber, storeName });
  if (answer.status !== 'verified') throw new Error(`the simulator refused the enrolment: ${answer.code}`);
  const contract = await db().acquirerContract.create({
    data: { storeId, acquirerId: acquirer.id, merchantNumber, status: 'VERIFIED', verifiedAt: new Date(), certificateAcquisitionNumberHash: sha256Hex(answer.acquisitionNumber) },
  });
  const posAcquirerIds: string[] = [];
  for (const posId of options.posIds) {
    posAcquirerIds.push((await db().posAcquirer.create({ data: { storeId, posId, acquirerId: acquirer.id, contractId: contract.id } })).id);
  }
  return { contractId: contract.id, posAcquirerIds, acquisitionNumber: answer.acquisitionNumber, merchantNumber, acquirerCode };
}
