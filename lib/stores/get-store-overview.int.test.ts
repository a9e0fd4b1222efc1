import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { getCertificateExpirySummary, getStoreOverview } from '@/lib/stores/get-store-overview';
import { createCertificate, createStoreWithPosAcquirer } from '@/lib/testing/certificate-fixtures';

const DAY = 86_400_000;

describe('getCertificateExpirySummary', () => {
  it('counts the ACTIVE certificates ending within the store’s alert days and names the soonest, for this store only', async () => {
    const now = new Date();
    const link = await createStoreWithPosAcquirer();
    await db().store.update({ where: { id: link.storeId }, data: { certificateAlertDays: 10 } });
    const at = (days: number) => new Date(now.getTime() + days * DAY);
    const soonest = await createCertificate(link, { notAfter: at(3), usage: 'KEY_EXCHANGE' });
    const second = await createCertificate(link, { notAfter: at(8) });
    await createCertificate(link, { notAfter: at(20) });
    await createCertificate(link, { notAfter: at(2), status: 'SUPERSEDED' });
    await createCertificate(link, { notAfter: at(1), status: 'PENDING' });
    const other = await createStoreWithPosAcquirer();
    await createCertificate(other, { notAfter: at(1) });

    const summary = await getCertificateExpirySummary(link.storeId, now);
    expect(summary.alertDays).toBe(10);
    expect(summary.count).toBe(2);
    expect(summary.soonest.map((certificate) => certificate.id)).toEqual([soonest.id, second.id]);
    expect(summary.soonest[0]).toMatchObject({ usage: 'KEY_EXCHANGE', posAcquirer: { pos: { name: link.posName }, acquirer: { name: link.acquirerName } } });

    // Only the first few rows are read, however many there are.
    expect((await getCertificateExpirySummary(link.storeId, now, 1)).soonest.map((certificate) => certificate.id)).toEqual([soonest.id]);

    // The overview lists the same certificates.
    const overview = await getStoreOverview(link.storeId, now);
    expect(overview.expiringCertificates.map((certificate) => certificate.id)).toEqual([soonest.id, second.id]);

    await db().store.update({ where: { id: link.storeId }, data: { certificateAlertDays: 30 } });
    expect((await getCertificateExpirySummary(link.storeId, now)).count).toBe(3);
  });

  it('is empty for a store with no certificate close to its end', async () => {
    const link = await createStoreWithPosAcquirer();
    await createCertificate(link, { notAfter: new Date(Date.now() + 90 * DAY) });
    expect(await getCertificateExpirySummary(link.storeId)).toEqual({ alertDays: 30, count: 0, soonest: [] });
  });
});
