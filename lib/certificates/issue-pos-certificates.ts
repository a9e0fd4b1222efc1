import { randomUUID } from 'node:crypto';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { requestAcquisitionNumber } from '@/lib/acquirers/registry-client';
import { requestCertificates, type IssuedCertificates } from '@/lib/certificates/ca-client';
import { enqueueRevocation } from '@/lib/certificates/enqueue-revocation';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { db } from '@/lib/db/client';
import type { KeyAlgorithm as StoredKeyAlgorithm } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';
import { isUuid } from '@/lib/validation';
import { wrapPrivateKey } from '@/lib/keys/vault';
import { exportPrivateKey, parseCertificate, type KeyAlgorithm, type ValidatedCertificate } from '@/lib/pki';

/** A claim on a POS × acquirer older than this is from a process that died mid-request and may be taken over. */
export const BUSY_CLAIM_MS = 2 * 60_000;

/** Key algorithm of new POS keys: P-256 keeps key generation (renew all: 2 pairs per POS × acquirer) fast. */
export const POS_KEY_ALGORITHM: KeyAlgorithm = 'P-256';

const storedAlgorithm: Record<KeyAlgorithm, StoredKeyAlgorithm> = { 'RSA-2048': 'RSA_2048', 'RSA-3072': 'RSA_3072', 'P-256': 'EC_P256' };

export interface IssuedCertificateSummary {
  id: string;
  usage: 'SIGNATURE' | 'KEY_EXCHANGE';
  serialNumber: string;
  notAfter: Date;
}

/**
 * Registers a POS with an acquirer, or renews its certificates: always a new
 * signature and key-exchange key pair (native crypto), a CertReq to the CA with
 * a one-time acquisition number, and the two certificates kept with their
 * private keys wrapped under the master key.
 *
 * The first registration under a contract uses the acquisition number the
 * acquirer sent the store at enrolment (`acquisitionNumber`); later ones (more
 * POSes, renewals) get a fresh number from the acquirer's registry.
 *
 * A renewal never leaves the POS without a valid certificate: the old pair
 * stays ACTIVE until the new one is stored in the same transaction that
 * supersedes it; only then is the old one revoked at the CA (through the
 * outbox). One request per POS × acquirer runs at a time (a claim on the row),
 * so double clicks and concurrent renewals cannot issue twice.
 */
export async function issuePosCertificates(input: {
  storeId: string;
  posAcquirerId: string;
  actor: Actor;
  acquisitionNumber?: string;
  origin?: RequestOrigin;
  now?: () => Date;
}): Promise<{ renewed: boolean; certificates: IssuedCertificateSummary[] }> {
  const now = input.now ?? (() => new Date());
  // The id comes from a form: one that is not a UUID names no link (and would fail the query on the uuid column).
  const link = !isUuid(input.posAcquirerId) ? null : await db().posAcquirer.findFirst({
    where: { id: input.posAcquirerId, storeId: input.storeId },
    select: {
      id: true,
      status: true,
      pos: { select: { id: true, name: true, status: true, store: { select: { name: true, status: true } } } },
      acquirer: { select: { code: true, name: true, brands: true, registryUrl: true } },
      contract: { select: { id: true, merchantNumber: true, status: true, certificateAcquisitionNumberHash: true } },
    },
  });
  if (!link) throw new AppError('not_found', 'No such POS and acquirer in this store.');
  const storeRow = link.pos.store;
  if (storeRow.status === 'WITHDRAWN') throw new AppError('store_inactive', 'This store has withdrawn; no certificates can be issued.');
  if (link.contract.status !== 'VERIFIED') throw new AppError('invalid_state_transition', `The contract with ${link.acquirer.name} is not verified, so this POS cannot register with it yet.`);
  if (link.pos.status !== 'ACTIVE') throw new AppError('invalid_state_transition', `The POS "${link.pos.name}" is disabled.`);
  if (link.status === 'WITHDRAWN' || link.status === 'DISABLED') throw new AppError('invalid_state_transition', `This POS no longer uses ${link.acquirer.name}.`);
  const brand = link.acquirer.brands[0];
  if (!brand) throw new AppError('invalid_state_transition', `${link.acquirer.name} has no brand configured.`);

  const claimedAt = now();
  const claim = await db().posAcquirer.updateMany({
    where: { id: link.id, OR: [{ busySince: null }, { busySince: { lt: new Date(claimedAt.getTime() - BUSY_CLAIM_MS) } }] },
    data: { busySince: claimedAt },
  });
  if (claim.count !== 1) throw new AppError('conflict', `A certificate request for "${link.pos.name}" with ${link.acquirer.name} is already in progress.`);

  try {
    const firstUnderContract = link.contract.certificateAcquisitionNumberHash !== null;
    let acquisitionNumber = input.acquisitionNumber?.trim();
    if (!acquisitionNumber) {
      if (firstUnderContract) {
        throw new AppError('validation_failed', `Enter the certificate acquisition number ${link.acquirer.name} sent you.`, [
          { path: 'acquisitionNumber', message: 'Enter the certificate acquisition number from the e-mail.' },
        ]);
      }
      acquisitionNumber = await requestAcquisitionNumber(link.acquirer, link.contract.merchantNumber);
    }

    const issued = await requestCertificates({
      acquirerCode: link.acquirer.code,
      brand,
      merchantNumber: link.contract.merchantNumber,
      posId: link.pos.id,
      acquisitionNumber,
      subject: { commonName: `${link.pos.name} (${link.contract.merchantNumber})`.slice(0, 64), organization: storeRow.name.slice(0, 64) },
      algorithm: POS_KEY_ALGORITHM,
    });
    return await store(input, link, issued, claimedAt);
  } finally {
    // Give the claim back whatever happened (a success already cleared it in its transaction).
    await db().posAcquirer.updateMany({ where: { id: link.id, busySince: claimedAt }, data: { busySince: null } });
  }
}

async function store(
  input: { storeId: string; actor: Actor; origin?: RequestOrigin },
  link: { id: string; status: string; pos: { id: string }; contract: { id: string; certificateAcquisitionNumberHash: string | null } },
  { keys, issued }: IssuedCertificates,
  claimedAt: Date,
) {
  const pairs = [
    { usage: 'SIGNATURE' as const, privateKey: keys.signature.privateKey, certificate: issued.signatureCertificate, chain: issued.message.signatureChain! },
    { usage: 'KEY_EXCHANGE' as const, privateKey: keys.keyExchange.privateKey, certificate: issued.keyExchangeCertificate, chain: issued.message.keyExchangeChain! },
  ];
  const prepared = await Promise.all(
    pairs.map(async (pair) => {
      const keyPairId = randomUUID();
      const pkcs8 = await exportPrivateKey(pair.privateKey);
      const wrapped = wrapPrivateKey(pkcs8, keyPairId);
      pkcs8.fill(0);
      return { ...pair, keyPairId, wrapped, summary: describe(pair.certificate, pair.chain) };
    }),
  );

  return db().$transaction(async (tx) => {
    const previous = await tx.certificate.findMany({ where: { posAcquirerId: link.id, status: 'ACTIVE' }, select: { id: true, usage: true } });
    const created: IssuedCertificateSummary[] = [];
    for (const pair of prepared) {
      const publicKeyPem = pair.certificate.certificate.publicKey.toString('pem');
      await tx.keyPair.create({
        data: {
          id: pair.keyPairId,
          storeId: input.storeId,
          posAcquirerId: link.id,
          usage: pair.usage,
          algorithm: storedAlgorithm[keys.algorithm],
          publicKeyPem,
          encryptedPrivateKey: pair.wrapped.encryptedPrivateKey,
          masterKeyVersion: pair.wrapped.masterKeyVersion,
        },
      });
      const replaced = previous.find((certificate) => certificate.usage === pair.usage);
      const row = await tx.certificate.create({
        data: {
          storeId: input.storeId,
          posAcquirerId: link.id,
          keyPairId: pair.keyPairId,
          usage: pair.usage,
          status: 'ACTIVE',
          replacesId: replaced?.id ?? null,
          ...pair.summary,
        },
        select: { id: true, usage: true, serialNumber: true, notAfter: true },
      });
      created.push(row);
    }
    if (previous.length > 0) {
      await tx.certificate.updateMany({ where: { id: { in: previous.map((certificate) => certificate.id) }, status: 'ACTIVE' }, data: { status: 'SUPERSEDED' } });
      for (const certificate of previous) await enqueueRevocation(tx, { storeId: input.storeId, certificateId: certificate.id, reason: 'superseded' });
    }
    await tx.posAcquirer.update({ where: { id: link.id }, data: { status: 'REGISTERED', busySince: null } });
    // The acquisition number from enrolment is spent: later registrations under this contract get fresh ones.
    if (link.contract.certificateAcquisitionNumberHash) await tx.acquirerContract.update({ where: { id: link.contract.id }, data: { certificateAcquisitionNumberHash: null } });
    // A store becomes active when its first POS can take payments.
    await tx.store.updateMany({ where: { id: input.storeId, status: 'PENDING' }, data: { status: 'ACTIVE' } });
    await recordAuditEvent(tx, {
      actor: input.actor,
      action: previous.length > 0 ? 'certificate.renewed' : 'certificate.issued',
      storeId: input.storeId,
      targetType: 'PosAcquirer',
      targetId: link.id,
      data: { serialNumbers: created.map((certificate) => certificate.serialNumber), claimedAt: claimedAt.toISOString() },
      origin: input.origin ?? null,
    });
    return { renewed: previous.length > 0, certificates: created };
  });
}

function describe(validated: ValidatedCertificate, x5c: string[]) {
  const certificate = validated.certificate;
  return {
    serialNumber: certificate.serialNumber.toLowerCase(),
    issuerDn: certificate.issuer.slice(0, 500),
    subjectDn: certificate.subject.slice(0, 500),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    // The whole chain the CA sent, leaf first: the POS signs with it as its x5c.
    pem: x5c.map((entry) => parseCertificate(entry).toString('pem')).join('\n'),
  };
}
