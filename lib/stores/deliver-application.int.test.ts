/**
 * Forwarding contract applications to real simulated acquirers (sim/acquirer
 * processes on free ports), with the partner credential of the integration
 * environment, and recording their answers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/auth/tokens';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import { outboxHandlers } from '@/lib/jobs/outbox-handlers';
import { ACQUIRER_APPLICATION_KIND } from '@/lib/outbox/enqueue-acquirer-application';
import { deliverApplication } from '@/lib/stores/deliver-application';
import { signUp } from '@/lib/stores/sign-up';
import { outboxEmailsTo, uniqueEmail } from '@/lib/testing/fixtures';
import type { Mailer } from '@/lib/mail/transport';
import { startSimulators, type RunningSimulators } from '@/sim/start-simulators';
import { freePorts, writeTestConfig } from '@/sim/testing/test-merchant';

const output: string[] = [];
let sims: RunningSimulators;
/** Our Acquirer rows (codes of their own) pointing at the simulators' registries. */
const acquirers: Record<'card' | 'jcb' | 'bank' | 'down', { id: string; code: string; name: string }> = {} as never;

async function createAcquirerRow(label: string, registryUrl: string) {
  const code = `${label}-${randomUUID().slice(0, 8).toUpperCase()}`;
  return db().acquirer.create({
    data: { code, name: `${label} ${code}`, brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:1/set', registryUrl },
    select: { id: true, code: true, name: true },
  });
}

beforeAll(async () => {
  // The simulators must accept ServerPOS's partner credential, which is the integration environment's PARTNER_SECRET.
  const { file } = await writeTestConfig({ partnerSecret: 'integration-test-partner-secret' });
  sims = await startSimulators({ configFile: file, output: (name, line) => output.push(`[${name}] ${line}`) });
  const [unusedPort] = await freePorts(1);
  acquirers.card = await createAcquirerRow('CARD', sims.acquirers['ACQ-CARD']!.registryUrl);
  acquirers.jcb = await createAcquirerRow('JCB', sims.acquirers['ACQ-JCB']!.registryUrl);
  acquirers.bank = await createAcquirerRow('BANK', sims.acquirers['ACQ-BANK']!.registryUrl);
  // Nothing listens here: every connection is refused.
  acquirers.down = await createAcquirerRow('DOWN', `http://127.0.0.1:${unusedPort}/registry`);
}, 120_000);

afterAll(async () => {
  await sims?.stop();
});

/** An APPLIED contract of a store of its own, linked to the store's POS, as sign-up leaves it. */
async function appliedContract(options: { storeName: string; acquirer: keyof typeof acquirers; merchantNumber: string }) {
  const contactEmail = uniqueEmail('enrol');
  const store = await db().store.create({ data: { name: options.storeName, contactEmail }, select: { id: true } });
  const acquirerId = acquirers[options.acquirer].id;
  const contract = await db().acquirerContract.create({
    data: { storeId: store.id, acquirerId, merchantNumber: options.merchantNumber, status: 'APPLIED' },
    select: { id: true },
  });
  const pos = await db().pos.create({ data: { storeId: store.id, name: 'Web shop' }, select: { id: true } });
  await db().posAcquirer.create({ data: { storeId: store.id, posId: pos.id, acquirerId, contractId: contract.id } });
  return { storeId: store.id, contractId: contract.id, contactEmail };
}

async function simMerchant(acquirerId: string, merchantNumber: string) {
  const { merchants } = (await (await fetch(`${sims.acquirers[acquirerId]!.adminUrl}/merchants`)).json()) as { merchants: { merchantNumber: string; status: string; contactEmail?: string }[] };
  return merchants.find((merchant) => merchant.merchantNumber === merchantNumber);
}

function acquisitionNumberIn(text: string): string {
  const match = /acquisition number for .+ is: ([A-Z0-9-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no acquisition number in: ${text}`);
  return match[1];
}

describe('deliverApplication', () => {
  it('records a verification: VERIFIED, the number only as its hash, and the number e-mailed to the store', async () => {
    const { storeId, contractId, contactEmail } = await appliedContract({ storeName: 'Test Books', acquirer: 'card', merchantNumber: 'M-TEST-0001' });
    const before = new Date();

    expect(await deliverApplication({ storeId, contractId })).toEqual({ outcome: 'verified' });

    const contract = await db().acquirerContract.findUniqueOrThrow({ where: { id: contractId } });
    expect(contract).toMatchObject({ status: 'VERIFIED', rejectionReason: null });
    expect(contract.verifiedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);

    const [mail, ...others] = await outboxEmailsTo(contactEmail);
    expect(others).toHaveLength(0);
    expect(mail).toMatchObject({ status: 'PENDING', storeId });
    expect(mail!.email.subject).toBe(`${acquirers.card.name} verified your store: your certificate acquisition number`);
    expect(mail!.email.text).toContain('merchant number M-TEST-0001');
    expect(mail!.email.text).toContain('Enter it when you register your POS for this acquirer under Certificates');
    const number = acquisitionNumberIn(mail!.email.text);
    expect(mail!.email.html).toContain(number);
    expect(contract.certificateAcquisitionNumberHash).toBe(sha256Hex(number));

    // The acquirer now knows the store as enrolled, with its contact address, and the e-mailed number is the one it issued.
    expect(await simMerchant('ACQ-CARD', 'M-TEST-0001')).toMatchObject({ status: 'active', contactEmail });
    const redeemed = await fetch(`${sims.acquirers['ACQ-CARD']!.registryUrl}/acquisition-numbers/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer integration-test-partner-secret' },
      body: JSON.stringify({ merchantNumber: 'M-TEST-0001', acquisitionNumber: number, posId: 'pos-1' }),
    });
    expect(redeemed.status).toBe(200);

    const audit = await db().auditEvent.findMany({ where: { storeId } });
    expect(audit).toEqual([expect.objectContaining({ action: 'contract.verified', actorType: 'SYSTEM', actorId: null, targetId: contractId })]);
    expect(JSON.stringify(audit)).not.toContain(number);
    // The POS link waits for its certificates.
    expect(await db().posAcquirer.findMany({ where: { contractId }, select: { status: true } })).toEqual([{ status: 'PENDING' }]);
  });

  it('records a rejection for an unknown merchant number with the acquirer’s reason and code, and e-mails the reason', async () => {
    const { storeId, contractId, contactEmail } = await appliedContract({ storeName: 'Test Books', acquirer: 'card', merchantNumber: 'M-NOPE-0000' });

    expect(await deliverApplication({ storeId, contractId })).toEqual({ outcome: 'rejected' });

    const contract = await db().acquirerContract.findUniqueOrThrow({ where: { id: contractId } });
    expect(contract).toMatchObject({ status: 'REJECTED', verifiedAt: null, certificateAcquisitionNumberHash: null });
    expect(contract.rejectionReason).toBe('This merchant number has no contract with us. (unknown_merchant)');
    const [mail, ...others] = await outboxEmailsTo(contactEmail);
    expect(others).toHaveLength(0);
    expect(mail!.email.subject).toBe(`Your application to ${acquirers.card.name} could not be accepted`);
    expect(mail!.email.text).toContain('Reason: This merchant number has no contract with us.');
    expect(await db().posAcquirer.findMany({ where: { contractId }, select: { status: true } })).toEqual([{ status: 'DISABLED' }]);
    expect(await db().auditEvent.findMany({ where: { storeId }, select: { action: true, actorType: true, data: true } })).toEqual([
      { action: 'contract.rejected', actorType: 'SYSTEM', data: { acquirerCode: acquirers.card.code, merchantNumber: 'M-NOPE-0000', code: 'unknown_merchant' } },
    ]);
    expect(await simMerchant('ACQ-CARD', 'M-NOPE-0000')).toBeUndefined();
  });

  it('records a rejection when the store name does not match the acquirer’s contract, and the acquirer does not enrol it', async () => {
    const { storeId, contractId } = await appliedContract({ storeName: 'Somebody Else', acquirer: 'card', merchantNumber: 'M-TEST-0002' });

    expect(await deliverApplication({ storeId, contractId })).toEqual({ outcome: 'rejected' });

    const contract = await db().acquirerContract.findUniqueOrThrow({ where: { id: contractId } });
    expect(contract).toMatchObject({ status: 'REJECTED', rejectionReason: 'The store name does not match our contract. (details_mismatch)' });
    expect(await simMerchant('ACQ-CARD', 'M-TEST-0002')).toMatchObject({ status: 'contracted' });
  });

  it('throws upstream_unavailable when the acquirer refuses the connection, and leaves the contract APPLIED with nothing sent', async () => {
    const { storeId, contractId, contactEmail } = await appliedContract({ storeName: 'Test Books', acquirer: 'down', merchantNumber: 'M-TEST-0001' });

    const error = await deliverApplication({ storeId, contractId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'upstream_unavailable' });

    expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: contractId } })).toMatchObject({ status: 'APPLIED', verifiedAt: null, rejectionReason: null });
    expect(await outboxEmailsTo(contactEmail)).toHaveLength(0);
    expect(await db().auditEvent.count({ where: { storeId } })).toBe(0);
  });

  it('records one answer when a message is delivered twice, one after the other or at once', async () => {
    const sequential = await appliedContract({ storeName: 'Test Books', acquirer: 'jcb', merchantNumber: 'J-TEST-0001' });
    expect(await deliverApplication(sequential)).toEqual({ outcome: 'verified' });
    const first = await db().acquirerContract.findUniqueOrThrow({ where: { id: sequential.contractId } });
    expect(await deliverApplication(sequential)).toEqual({ outcome: 'skipped' });
    expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: sequential.contractId } })).toEqual(first);
    expect(await outboxEmailsTo(sequential.contactEmail)).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { storeId: sequential.storeId } })).toBe(1);

    const concurrent = await appliedContract({ storeName: 'Test Books', acquirer: 'bank', merchantNumber: 'B-TEST-0001' });
    const outcomes = await Promise.all([deliverApplication(concurrent), deliverApplication(concurrent)]);
    expect(outcomes.map((result) => result.outcome).sort()).toEqual(['skipped', 'verified']);
    const [mail, ...others] = await outboxEmailsTo(concurrent.contactEmail);
    expect(others).toHaveLength(0);
    const contract = await db().acquirerContract.findUniqueOrThrow({ where: { id: concurrent.contractId } });
    // The recorded hash is that of the number the store was sent.
    expect(contract.certificateAcquisitionNumberHash).toBe(sha256Hex(acquisitionNumberIn(mail!.email.text)));
    expect(await db().auditEvent.count({ where: { storeId: concurrent.storeId } })).toBe(1);
  });

  it('skips a contract of another store, and an unknown one, without calling anybody', async () => {
    const { contractId } = await appliedContract({ storeName: 'Test Books', acquirer: 'card', merchantNumber: 'M-SKIP-0001' });
    const other = await db().store.create({ data: { name: 'Other', contactEmail: uniqueEmail('other') }, select: { id: true } });
    expect(await deliverApplication({ storeId: other.id, contractId })).toEqual({ outcome: 'skipped' });
    expect(await deliverApplication({ storeId: other.id, contractId: randomUUID() })).toEqual({ outcome: 'skipped' });
    expect(await deliverApplication({ storeId: null, contractId })).toEqual({ outcome: 'skipped' });
    expect(await db().acquirerContract.findUniqueOrThrow({ where: { id: contractId } })).toMatchObject({ status: 'APPLIED' });
  });

  it('enrols a signed-up store: its outbox message, delivered through the handler table, gets the acquirer’s answer', async () => {
    // Acquirer rows of this test's own: the merchant numbers are taken at the others by the tests above.
    const card = await createAcquirerRow('CARD', sims.acquirers['ACQ-CARD']!.registryUrl);
    const jcb = await createAcquirerRow('JCB', sims.acquirers['ACQ-JCB']!.registryUrl);
    const email = uniqueEmail('signup-enrol');
    await signUp({
      storeName: 'Test Books',
      ownerName: 'Hana Sato',
      email,
      password: 'a long enough password',
      contracts: [
        { acquirerCode: card.code, merchantNumber: 'm-test-0001', pin: '1234' },
        { acquirerCode: jcb.code, merchantNumber: 'J-NOPE-0001', pin: '5678' },
      ],
    });
    const store = await db().store.findFirstOrThrow({ where: { contactEmail: email }, select: { id: true } });
    const messages = await db().outboxMessage.findMany({ where: { storeId: store.id, kind: ACQUIRER_APPLICATION_KIND } });
    expect(messages).toHaveLength(2);
    const handler = outboxHandlers[ACQUIRER_APPLICATION_KIND]!;
    const mailer: Mailer = { send: () => Promise.reject(new Error('no e-mail is sent by this handler')), close: () => undefined };
    for (const message of messages) await handler.deliver({ id: message.id, storeId: message.storeId, payload: message.payload }, { prisma: db(), mailer });

    const contracts = await db().acquirerContract.findMany({ where: { storeId: store.id }, select: { merchantNumber: true, status: true } });
    expect(contracts.sort((a, b) => a.merchantNumber.localeCompare(b.merchantNumber))).toEqual([
      { merchantNumber: 'J-NOPE-0001', status: 'REJECTED' },
      { merchantNumber: 'M-TEST-0001', status: 'VERIFIED' },
    ]);
    const subjects = (await outboxEmailsTo(email)).map((row) => row.email.subject).sort();
    expect(subjects).toEqual([
      `${card.name} verified your store: your certificate acquisition number`,
      'Confirm your e-mail address for ServerPOS',
      `Your application to ${jcb.name} could not be accepted`,
    ]);
    // The e-mail confirmation is still outstanding: the contracts went ahead without it.
    expect(await db().storeUser.findUniqueOrThrow({ where: { email }, select: { emailVerifiedAt: true } })).toEqual({ emailVerifiedAt: null });
  });
});
