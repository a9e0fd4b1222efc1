import { randomUUID } from 'node:crypto';
import { db } from '@/lib/db/client';
import type { CertificateStatus, CertificateUsage } from '@/lib/db/generated/prisma/enums';
import { uniqueEmail, uniqueName } from '@/lib/testing/fixtures';

/**
 * Certificate records for integration tests, written straight to the database: no CA is involved, and
 * key pairs have no private key, since nothing in these tests signs.
 */

/** A store with one POS registered with one acquirer of its own (unique code). */
export async function createStoreWithPosAcquirer() {
  const contactEmail = uniqueEmail('certs');
  const store = await db().store.create({ data: { name: uniqueName('Cert Store'), contactEmail, status: 'ACTIVE' }, select: { id: true, name: true } });
  const acquirerCode = `ACQ-${randomUUID().slice(0, 8).toUpperCase()}`;
  const acquirerName = `Acquirer ${acquirerCode}`;
  const acquirer = await db().acquirer.create({
    data: { code: acquirerCode, name: acquirerName, brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:1/set' },
    select: { id: true },
  });
  const contract = await db().acquirerContract.create({
    data: { storeId: store.id, acquirerId: acquirer.id, merchantNumber: `M${randomUUID().slice(0, 12)}`, status: 'VERIFIED' },
    select: { id: true },
  });
  const pos = await db().pos.create({ data: { storeId: store.id, name: uniqueName('Front desk') }, select: { id: true, name: true } });
  const posAcquirer = await db().posAcquirer.create({
    data: { storeId: store.id, posId: pos.id, acquirerId: acquirer.id, contractId: contract.id, status: 'REGISTERED' },
    select: { id: true },
  });
  return { storeId: store.id, storeName: store.name, contactEmail, acquirerId: acquirer.id, acquirerCode, acquirerName, posName: pos.name, posAcquirerId: posAcquirer.id };
}

export type StorePosAcquirer = Awaited<ReturnType<typeof createStoreWithPosAcquirer>>;

/** A certificate (and its key pair) for the link, valid for a year up to `notAfter`. */
export async function createCertificate(link: StorePosAcquirer, options: { notAfter: Date; status?: CertificateStatus; usage?: CertificateUsage }) {
  const usage = options.usage ?? 'SIGNATURE';
  const keyPair = await db().keyPair.create({
    data: { storeId: link.storeId, posAcquirerId: link.posAcquirerId, usage, algorithm: 'EC_P256', publicKeyPem: 'test key', encryptedPrivateKey: null, masterKeyVersion: 1 },
    select: { id: true },
  });
  return db().certificate.create({
    data: {
      storeId: link.storeId,
      posAcquirerId: link.posAcquirerId,
      keyPairId: keyPair.id,
      usage,
      serialNumber: randomUUID().replaceAll('-', ''),
      issuerDn: 'CN=Test Merchant CA',
      subjectDn: `CN=${link.posName}`,
      notBefore: new Date(options.notAfter.getTime() - 365 * 86_400_000),
      notAfter: options.notAfter,
      status: options.status ?? 'ACTIVE',
      pem: 'test certificate',
    },
    select: { id: true, serialNumber: true, notAfter: true },
  });
}
