import { describe, expect, it } from 'vitest';
import { CERTIFICATE_EXPIRY_THRESHOLD_DAYS, dueExpiryThreshold, scanExpiringCertificates } from '@/lib/certificates/scan-expiring-certificates';
import { db } from '@/lib/db/client';
import type { CertificateStatus } from '@/lib/db/generated/prisma/enums';
import { env } from '@/lib/env';
import { createCertificate, createStoreWithPosAcquirer } from '@/lib/testing/certificate-fixtures';
import { outboxEmailsTo } from '@/lib/testing/fixtures';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** A store whose only certificate expires `msLeft` after `now`. */
async function storeWithCertificateExpiringIn(now: Date, msLeft: number, status: CertificateStatus = 'ACTIVE') {
  const link = await createStoreWithPosAcquirer();
  const certificate = await createCertificate(link, { notAfter: new Date(now.getTime() + msLeft), status });
  return { ...link, certificate };
}

async function alertsOf(certificateId: string) {
  const rows = await db().certificateExpiryAlert.findMany({ where: { certificateId }, orderBy: { thresholdDays: 'desc' } });
  return rows.map((row) => row.thresholdDays);
}

async function subjectsTo(email: string) {
  return (await outboxEmailsTo(email)).map((row) => row.email.subject);
}

describe('dueExpiryThreshold', () => {
  const now = new Date('2030-01-01T00:00:00Z');
  it.each([
    [31 * DAY, null],
    [30 * DAY + 1, null],
    [30 * DAY, 30],
    [15 * DAY, 30],
    [14 * DAY, 14],
    [8 * DAY, 14],
    [7 * DAY, 7],
    [25 * 3_600_000, 7],
    [DAY, 1],
    [10 * MINUTE, 1],
    [1, 1],
    [0, null],
    [-DAY, null],
  ])('%d ms before notAfter → %s', (msLeft, expected) => {
    expect(dueExpiryThreshold(new Date(now.getTime() + msLeft), now)).toBe(expected);
  });

  it('uses the thresholds 30, 14, 7 and 1 days', () => {
    expect(CERTIFICATE_EXPIRY_THRESHOLD_DAYS).toEqual([30, 14, 7, 1]);
  });
});

describe('scanExpiringCertificates', () => {
  it('e-mails each certificate once for the threshold it has reached, however often and however concurrently it runs', async () => {
    const now = new Date();
    const far = await storeWithCertificateExpiringIn(now, 40 * DAY);
    const at30 = await storeWithCertificateExpiringIn(now, 20 * DAY);
    const at14 = await storeWithCertificateExpiringIn(now, 10 * DAY);
    const at7 = await storeWithCertificateExpiringIn(now, 5 * DAY);
    const at1 = await storeWithCertificateExpiringIn(now, 10 * MINUTE);
    const pending = await storeWithCertificateExpiringIn(now, 5 * DAY, 'PENDING');
    const revoked = await storeWithCertificateExpiringIn(now, 5 * DAY, 'REVOKED');
    const superseded = await storeWithCertificateExpiringIn(now, 10 * MINUTE, 'SUPERSEDED');

    // Two workers scanning at the same moment, then a third scan: still one alert each.
    await Promise.all([scanExpiringCertificates({ prisma: db(), now }), scanExpiringCertificates({ prisma: db(), now })]);
    await scanExpiringCertificates({ prisma: db(), now });

    expect(await alertsOf(far.certificate.id)).toEqual([]);
    expect(await alertsOf(at30.certificate.id)).toEqual([30]);
    expect(await alertsOf(at14.certificate.id)).toEqual([14]);
    expect(await alertsOf(at7.certificate.id)).toEqual([7]);
    expect(await alertsOf(at1.certificate.id)).toEqual([1]);
    for (const other of [pending, revoked, superseded]) expect(await alertsOf(other.certificate.id)).toEqual([]);

    expect(await subjectsTo(far.contactEmail)).toEqual([]);
    expect(await subjectsTo(at30.contactEmail)).toEqual([`Certificate expires within 30 days: ${at30.posName} · ${at30.acquirerName}`]);
    expect(await subjectsTo(at14.contactEmail)).toEqual([`Certificate expires within 14 days: ${at14.posName} · ${at14.acquirerName}`]);
    expect(await subjectsTo(at7.contactEmail)).toEqual([`Certificate expires within 7 days: ${at7.posName} · ${at7.acquirerName}`]);
    expect(await subjectsTo(at1.contactEmail)).toEqual([`Certificate expires within 1 day: ${at1.posName} · ${at1.acquirerName}`]);
    for (const other of [pending, revoked, superseded]) expect(await subjectsTo(other.contactEmail)).toEqual([]);

    const audit = await db().auditEvent.findMany({ where: { storeId: at14.storeId } });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'certificate.expiry_alert_sent', actorType: 'SYSTEM', targetType: 'Certificate', targetId: at14.certificate.id, data: { thresholdDays: 14 } }),
    ]);
  });

  it('names the POS, acquirer, usage, serial and end of validity, and links to the store’s certificates page', async () => {
    const now = new Date();
    const store = await storeWithCertificateExpiringIn(now, 3 * DAY);
    await scanExpiringCertificates({ prisma: db(), now });

    const [message, ...rest] = await outboxEmailsTo(store.contactEmail);
    expect(rest).toEqual([]);
    expect(message?.storeId).toBe(store.storeId);
    const link = `${env().APP_URL}/console/stores/${store.storeId}/certificates`;
    const validUntil = `${store.certificate.notAfter.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    for (const part of [message!.email.text, message!.email.html]) {
      expect(part).toContain(store.posName);
      expect(part).toContain(`${store.acquirerName} (${store.acquirerCode})`);
      expect(part).toContain('Usage: signature');
      expect(part).toContain(`Serial number: ${store.certificate.serialNumber}`);
      expect(part).toContain(`Valid until: ${validUntil}`);
      expect(part).toContain(link);
    }
  });

  it('sends the next alert when a later scan crosses the next threshold, and never a larger one afterwards', async () => {
    const now = new Date();
    const store = await storeWithCertificateExpiringIn(now, 10 * DAY);

    await scanExpiringCertificates({ prisma: db(), now });
    expect(await alertsOf(store.certificate.id)).toEqual([14]);

    // 4 days on, 6 days are left: the 7-day alert.
    await scanExpiringCertificates({ prisma: db(), now: new Date(now.getTime() + 4 * DAY) });
    await scanExpiringCertificates({ prisma: db(), now: new Date(now.getTime() + 5 * DAY) });
    expect(await alertsOf(store.certificate.id)).toEqual([14, 7]);

    // Crossing 7 → 1 day sends the next one, once.
    const lateNow = new Date(now.getTime() + 9 * DAY + 12 * 3_600_000);
    await Promise.all([scanExpiringCertificates({ prisma: db(), now: lateNow }), scanExpiringCertificates({ prisma: db(), now: lateNow })]);
    expect(await alertsOf(store.certificate.id)).toEqual([14, 7, 1]);

    // A scan that read an older clock (a slow worker) cannot send a larger threshold after a smaller one.
    await scanExpiringCertificates({ prisma: db(), now: new Date(now.getTime() - 5 * DAY) });
    expect(await alertsOf(store.certificate.id)).toEqual([14, 7, 1]);
    expect((await subjectsTo(store.contactEmail)).map((subject) => subject.split(':')[0])).toEqual([
      'Certificate expires within 14 days',
      'Certificate expires within 7 days',
      'Certificate expires within 1 day',
    ]);
  });

  it('gives a certificate that starts inside a small threshold that alert only', async () => {
    const now = new Date();
    const store = await storeWithCertificateExpiringIn(now, 10 * MINUTE);
    await scanExpiringCertificates({ prisma: db(), now });
    await scanExpiringCertificates({ prisma: db(), now: new Date(now.getTime() + 5 * MINUTE) });
    await scanExpiringCertificates({ prisma: db(), now: new Date(now.getTime() - 20 * DAY) });
    expect(await alertsOf(store.certificate.id)).toEqual([1]);
    expect(await subjectsTo(store.contactEmail)).toHaveLength(1);
  });

  it('marks an ACTIVE certificate past its end EXPIRED once, with no "expires" e-mail', async () => {
    const now = new Date();
    const store = await storeWithCertificateExpiringIn(now, -MINUTE);
    const revoked = await storeWithCertificateExpiringIn(now, -MINUTE, 'REVOKED');

    await Promise.all([scanExpiringCertificates({ prisma: db(), now }), scanExpiringCertificates({ prisma: db(), now })]);

    expect(await db().certificate.findUniqueOrThrow({ where: { id: store.certificate.id } })).toMatchObject({ status: 'EXPIRED' });
    expect(await db().certificate.findUniqueOrThrow({ where: { id: revoked.certificate.id } })).toMatchObject({ status: 'REVOKED' });
    expect(await alertsOf(store.certificate.id)).toEqual([]);
    expect(await subjectsTo(store.contactEmail)).toEqual([]);
    expect(await db().auditEvent.findMany({ where: { storeId: store.storeId }, select: { action: true, actorType: true, targetId: true } })).toEqual([
      { action: 'certificate.expired', actorType: 'SYSTEM', targetId: store.certificate.id },
    ]);
    expect(await db().auditEvent.count({ where: { storeId: revoked.storeId } })).toBe(0);
  });

  it('keeps the smallest threshold sent on the certificate, and goes by the alert rows when that is out of step', async () => {
    const now = new Date();
    const store = await storeWithCertificateExpiringIn(now, 10 * DAY);
    const alerted = async () => (await db().certificate.findUniqueOrThrow({ where: { id: store.certificate.id }, select: { expiryAlertedDays: true } })).expiryAlertedDays;
    expect(await alerted()).toBeNull();
    await scanExpiringCertificates({ prisma: db(), now });
    expect(await alerted()).toBe(14);

    // A certificate whose column lags its alert rows (alerts written before the column, say) is not e-mailed twice.
    await db().certificate.update({ where: { id: store.certificate.id }, data: { expiryAlertedDays: null } });
    await scanExpiringCertificates({ prisma: db(), now: new Date(now.getTime() + MINUTE) });
    expect(await alertsOf(store.certificate.id)).toEqual([14]);
    expect(await subjectsTo(store.contactEmail)).toHaveLength(1);

    // And one whose column says more than its rows still gets what it is owed.
    await db().certificate.update({ where: { id: store.certificate.id }, data: { expiryAlertedDays: 30 } });
    await scanExpiringCertificates({ prisma: db(), now: new Date(now.getTime() + 4 * DAY) });
    expect(await alertsOf(store.certificate.id)).toEqual([14, 7]);
    expect(await alerted()).toBe(7);
  });

  it('reads in batches and still reaches every certificate', async () => {
    const now = new Date();
    const link = await createStoreWithPosAcquirer();
    const certificates = [];
    for (let index = 0; index < 7; index += 1) certificates.push(await createCertificate(link, { notAfter: new Date(now.getTime() + 3 * DAY + index * MINUTE) }));
    // Same notAfter for two of them, so the keyset has to order by id as well.
    certificates.push(await createCertificate(link, { notAfter: certificates[3]!.notAfter }));

    const result = await scanExpiringCertificates({ prisma: db(), now, batchSize: 2 });

    expect(result.alertsSent).toBeGreaterThanOrEqual(certificates.length);
    for (const certificate of certificates) expect(await alertsOf(certificate.id)).toEqual([7]);
    expect(await subjectsTo(link.contactEmail)).toHaveLength(certificates.length);
  });
});
