import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuePosCertificates } from '@/lib/certificates/issue-pos-certificates';
import { revokeCertificate } from '@/lib/certificates/revoke-certificate';
import { db } from '@/lib/db/client';
import { resetEnvForTests } from '@/lib/env';
import { unwrapPrivateKey } from '@/lib/keys/vault';
import { importPrivateKey, parseCertificatePem } from '@/lib/pki';
import { createEnrolledStore, startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;

beforeAll(async () => {
  world = await startSimWorld();
});

afterAll(async () => {
  await world?.stop();
});

const actorOf = (store: { userId: string }) => ({ type: 'STORE_USER' as const, id: store.userId });

async function caIssued(merchantNumber: string) {
  const response = await fetch(`${world.sims.caUrl}/ca/issued?merchantNumber=${merchantNumber}`, { headers: { authorization: `Bearer ${world.sims.config.partnerSecret}` } });
  return ((await response.json()) as { certificates: { serialNumber: string; revoked?: boolean }[] }).certificates;
}

describe('issuing a POS its certificates through the CA', () => {
  it('registers with the acquisition number from enrolment: two certificates for the POS, keys wrapped at rest, store active', async () => {
    const store = await createEnrolledStore(world);
    const result = await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store), acquisitionNumber: store.acquisitionNumber });
    expect(result.renewed).toBe(false);
    expect(result.certificates.map((certificate) => certificate.usage).sort()).toEqual(['KEY_EXCHANGE', 'SIGNATURE']);

    const certificates = await db().certificate.findMany({ where: { posAcquirerId: store.posAcquirerId }, include: { keyPair: true } });
    expect(certificates).toHaveLength(2);
    for (const certificate of certificates) {
      expect(certificate.status).toBe('ACTIVE');
      const parsed = parseCertificatePem(certificate.pem);
      expect(parsed.serialNumber.toLowerCase()).toBe(certificate.serialNumber);
      // The private key is stored only wrapped, and it is the key of this certificate.
      const wrapped = certificate.keyPair.encryptedPrivateKey!;
      expect(wrapped.length).toBeGreaterThan(100);
      const pkcs8 = unwrapPrivateKey(wrapped, certificate.keyPair.masterKeyVersion, certificate.keyPair.id);
      expect(Buffer.from(wrapped).includes(Buffer.from(pkcs8.subarray(-32)))).toBe(false);
      const privateKey = await importPrivateKey(pkcs8, 'P-256', certificate.usage === 'SIGNATURE' ? 'signature' : 'keyExchange', true);
      const jwk = await crypto.subtle.exportKey('jwk', privateKey);
      const publicJwk = await crypto.subtle.exportKey('jwk', await parsed.publicKey.export());
      expect([jwk.x, jwk.y]).toEqual([publicJwk.x, publicJwk.y]);
    }
    const caRecords = await caIssued(store.merchantNumber);
    expect(caRecords.map((record) => record.serialNumber.toLowerCase())).toEqual(expect.arrayContaining(certificates.map((certificate) => certificate.serialNumber)));

    const [link, contract, storeRow, audit] = await Promise.all([
      db().posAcquirer.findUniqueOrThrow({ where: { id: store.posAcquirerId } }),
      db().acquirerContract.findUniqueOrThrow({ where: { id: store.contractId } }),
      db().store.findUniqueOrThrow({ where: { id: store.storeId } }),
      db().auditEvent.findMany({ where: { storeId: store.storeId, action: 'certificate.issued' } }),
    ]);
    expect(link).toMatchObject({ status: 'REGISTERED', busySince: null });
    expect(contract.certificateAcquisitionNumberHash).toBeNull();
    expect(storeRow.status).toBe('ACTIVE');
    expect(audit).toHaveLength(1);
  });

  it('refuses a wrong acquisition number with the CA\'s reason, and keeps nothing', async () => {
    const store = await createEnrolledStore(world, { merchantNumber: 'M-TEST-0002', storeName: 'Second Shop' });
    await expect(
      issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store), acquisitionNumber: 'AAAAA-BBBBB-CCCCC-DDDDD' }),
    ).rejects.toMatchObject({ code: 'upstream_refused', message: expect.stringContaining('acquisition number') });
    expect(await db().certificate.count({ where: { storeId: store.storeId } })).toBe(0);
    expect(await db().keyPair.count({ where: { storeId: store.storeId } })).toBe(0);
    expect(await db().posAcquirer.findUniqueOrThrow({ where: { id: store.posAcquirerId } })).toMatchObject({ status: 'PENDING', busySince: null });
    // Without any number, the first registration asks for the one from the e-mail.
    await expect(issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store) })).rejects.toMatchObject({ code: 'validation_failed' });
    // The right number still works afterwards.
    await expect(issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store), acquisitionNumber: store.acquisitionNumber })).resolves.toMatchObject({ renewed: false });
  });

  it('renews with a new key pair; the old certificates serve until the new ones are stored, then are revoked at the CA and their keys destroyed', async () => {
    const store = await createEnrolledStore(world, { acquirerCode: 'ACQ-JCB', merchantNumber: 'J-TEST-0001' });
    await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store), acquisitionNumber: store.acquisitionNumber });
    const before = await db().certificate.findMany({ where: { posAcquirerId: store.posAcquirerId }, include: { keyPair: true } });

    const renewal = await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store) });
    expect(renewal.renewed).toBe(true);
    const after = await db().certificate.findMany({ where: { posAcquirerId: store.posAcquirerId }, include: { keyPair: true }, orderBy: { createdAt: 'asc' } });
    const active = after.filter((certificate) => certificate.status === 'ACTIVE');
    const superseded = after.filter((certificate) => certificate.status === 'SUPERSEDED');
    expect(active).toHaveLength(2);
    expect(superseded.map((certificate) => certificate.id).sort()).toEqual(before.map((certificate) => certificate.id).sort());
    // Always a new key pair.
    const oldKeys = before.map((certificate) => certificate.keyPair.publicKeyPem);
    expect(active.filter((certificate) => oldKeys.includes(certificate.keyPair.publicKeyPem))).toEqual([]);
    expect(active.map((certificate) => certificate.replacesId).sort()).toEqual(before.map((certificate) => certificate.id).sort());

    const revocations = await db().outboxMessage.findMany({ where: { storeId: store.storeId, kind: 'ca.revocation' } });
    expect(revocations).toHaveLength(2);
    for (const message of revocations) await revokeCertificate(db(), message.payload as never);
    for (const message of revocations) await revokeCertificate(db(), message.payload as never); // a redelivery changes nothing

    const revoked = await db().certificate.findMany({ where: { id: { in: before.map((certificate) => certificate.id) } }, include: { keyPair: true } });
    for (const certificate of revoked) {
      expect(certificate.status).toBe('SUPERSEDED');
      expect(certificate.revokedAt).not.toBeNull();
      expect(certificate.keyPair.encryptedPrivateKey).toBeNull();
      expect(certificate.keyPair.destroyedAt).not.toBeNull();
    }
    const caRecords = await caIssued(store.merchantNumber);
    for (const certificate of before) expect(caRecords.find((record) => record.serialNumber.toLowerCase() === certificate.serialNumber)).toMatchObject({ revoked: true });
    expect(await db().auditEvent.count({ where: { storeId: store.storeId, action: 'certificate.revoked' } })).toBe(2);
  });

  it('runs one request per POS and acquirer: a double click gets a conflict and one pair is issued', async () => {
    const store = await createEnrolledStore(world, { acquirerCode: 'ACQ-BANK', merchantNumber: 'B-TEST-0001' });
    await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store), acquisitionNumber: store.acquisitionNumber });
    const results = await Promise.allSettled([
      issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store) }),
      issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store) }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result) => result.status === 'rejected')).toMatchObject({ reason: { code: 'conflict' } });
    expect(await db().certificate.count({ where: { posAcquirerId: store.posAcquirerId, status: 'ACTIVE' } })).toBe(2);
    expect(await db().certificate.count({ where: { posAcquirerId: store.posAcquirerId } })).toBe(4);
  });

  it('keeps the old certificates serving when the CA is down, and a store user of another store gets not_found', async () => {
    const store = await createEnrolledStore(world, { acquirerCode: 'ACQ-BANK', merchantNumber: 'B-TEST-0001' });
    await issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store), acquisitionNumber: store.acquisitionNumber });
    const other = await createEnrolledStore(world, { merchantNumber: 'M-TEST-0001' });
    await expect(issuePosCertificates({ storeId: other.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(other) })).rejects.toMatchObject({ code: 'not_found' });

    const serving = await db().certificate.findMany({ where: { posAcquirerId: store.posAcquirerId, status: 'ACTIVE' }, select: { id: true } });
    const caUrl = process.env.CA_URL!;
    process.env.CA_URL = 'http://127.0.0.1:9';
    resetEnvForTests();
    try {
      await expect(issuePosCertificates({ storeId: store.storeId, posAcquirerId: store.posAcquirerId, actor: actorOf(store) })).rejects.toMatchObject({ code: expect.stringMatching(/upstream_unavailable/) });
    } finally {
      process.env.CA_URL = caUrl;
      resetEnvForTests();
    }
    expect(await db().certificate.findMany({ where: { posAcquirerId: store.posAcquirerId, status: 'ACTIVE' }, select: { id: true } })).toEqual(serving);
    expect(await db().posAcquirer.findUniqueOrThrow({ where: { id: store.posAcquirerId } })).toMatchObject({ busySince: null });
  });
});
