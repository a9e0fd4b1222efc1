import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { listExpiringCertificates } from '@/lib/operator/list-expiring-certificates';
import { createCertificate, createStoreWithPosAcquirer } from '@/lib/testing/certificate-fixtures';

const DAY = 86_400_000;
// Each test its own "now", far from every other test's certificates, so its windows hold only its own.
let year = 2100;
function clock() {
  year += 10;
  const now = new Date(`${year}-06-15T12:00:00Z`);
  return { now, at: (days: number) => new Date(now.getTime() + days * DAY) };
}

async function world({ now, at }: ReturnType<typeof clock>) {
  const a = await createStoreWithPosAcquirer();
  const b = await createStoreWithPosAcquirer();
  const d = await createStoreWithPosAcquirer();
  const e = await createStoreWithPosAcquirer();
  const certificates = {
    in3: await createCertificate(a, { notAfter: at(3) }),
    in6: await createCertificate(b, { notAfter: at(6), usage: 'KEY_EXCHANGE' }),
    in20: await createCertificate(a, { notAfter: at(20), usage: 'KEY_EXCHANGE' }),
    in60: await createCertificate(b, { notAfter: at(60) }),
    in120: await createCertificate(a, { notAfter: at(120) }),
    // Not in use: revoked, superseded, pending.
    revoked: await createCertificate(a, { notAfter: at(2), status: 'REVOKED' }),
    superseded: await createCertificate(b, { notAfter: at(2), status: 'SUPERSEDED' }),
    pending: await createCertificate(b, { notAfter: at(2), status: 'PENDING' }),
    // Ended on POSes without a valid one since: one marked EXPIRED, one still ACTIVE (the scan has not run yet).
    endedYesterday: await createCertificate(d, { notAfter: at(-1), status: 'EXPIRED' }),
    endedAnHourAgo: await createCertificate(e, { notAfter: new Date(now.getTime() - 3_600_000) }),
  };
  // Expired, then renewed: the POS has a valid certificate of that usage again. Of another usage it would still count.
  const c = await createStoreWithPosAcquirer();
  const renewedAfterExpiry = await createCertificate(c, { notAfter: at(-2), status: 'EXPIRED' });
  await createCertificate(c, { notAfter: at(400) });
  const keyExchangeStillExpired = await createCertificate(c, { notAfter: at(-3), status: 'EXPIRED', usage: 'KEY_EXCHANGE' });
  // A withdrawn store's certificates are nobody's worry.
  const gone = await createStoreWithPosAcquirer();
  await db().store.update({ where: { id: gone.storeId }, data: { status: 'WITHDRAWN' } });
  const withdrawnStore = await createCertificate(gone, { notAfter: at(4) });
  return { a, b, c, certificates, renewedAfterExpiry, keyExchangeStillExpired, withdrawnStore };
}

describe('listExpiringCertificates', () => {
  it('lists certificates in use ending within the window, soonest first, with store, POS, acquirer and days left', async () => {
    const time = clock();
    const { now } = time;
    const { a, b, certificates } = await world(time);

    const week = await listExpiringCertificates({ filter: { window: '7' }, now });
    expect(week.rows.map((row) => row.id)).toEqual([certificates.in3.id, certificates.in6.id]);
    expect(week.total).toBe(2);
    expect(week.nextCursor).toBeNull();
    expect(week.rows[0]).toMatchObject({
      usage: 'SIGNATURE',
      serialNumber: certificates.in3.serialNumber,
      daysLeft: 3,
      store: { id: a.storeId, name: a.storeName },
      pos: { name: a.posName },
      acquirer: { code: a.acquirerCode, name: a.acquirerName },
    });
    expect(week.rows[1]).toMatchObject({ usage: 'KEY_EXCHANGE', daysLeft: 6, store: { id: b.storeId } });

    const byDefault = await listExpiringCertificates({ now });
    expect(byDefault.filter.window).toBe('30');
    expect(byDefault.rows.map((row) => row.id)).toEqual([certificates.in3.id, certificates.in6.id, certificates.in20.id]);
    expect((await listExpiringCertificates({ filter: { window: '90' }, now })).rows.map((row) => row.id)).toEqual([
      certificates.in3.id,
      certificates.in6.id,
      certificates.in20.id,
      certificates.in60.id,
    ]);
  });

  it('lists ended certificates not renewed since, most recently ended first', async () => {
    const time = clock();
    const { now } = time;
    const { certificates } = await world(time);
    const expired = await listExpiringCertificates({ filter: { window: 'expired' }, now });
    const mine = new Set([certificates.endedYesterday.id, certificates.endedAnHourAgo.id]);
    // Earlier tests' certificates ended years before this test's "now"; this test's come first.
    expect(expired.rows.slice(0, 2).map((row) => row.id)).toEqual([certificates.endedAnHourAgo.id, certificates.endedYesterday.id]);
    expect(expired.rows.slice(0, 2).map((row) => row.daysLeft)).toEqual([0, -1]);
    expect(expired.rows.filter((row) => mine.has(row.id))).toHaveLength(2);
    // Still in the 7-day window's count? No: ended certificates are only in this view.
    expect((await listExpiringCertificates({ filter: { window: '7' }, now })).rows.map((row) => row.id)).not.toContain(certificates.endedAnHourAgo.id);
  });

  it('leaves out an expired certificate its POS has renewed since, and a withdrawn store’s', async () => {
    const time = clock();
    const { now } = time;
    const { renewedAfterExpiry, keyExchangeStillExpired, withdrawnStore } = await world(time);
    const expired = await listExpiringCertificates({ filter: { window: 'expired' }, now, pageSize: 200 });
    const ids = new Set<string>();
    let page = expired;
    for (;;) {
      page.rows.forEach((row) => ids.add(row.id));
      if (!page.nextCursor) break;
      page = await listExpiringCertificates({ filter: { window: 'expired', cursor: page.nextCursor }, now, pageSize: 200 });
    }
    expect(ids.has(renewedAfterExpiry.id)).toBe(false);
    expect(ids.has(keyExchangeStillExpired.id)).toBe(true);
    expect((await listExpiringCertificates({ filter: { window: '7' }, now })).rows.map((row) => row.id)).not.toContain(withdrawnStore.id);
  });

  it('pages by keyset: every certificate once, in order, also when several end at the same instant', async () => {
    const { at } = clock();
    const link = await createStoreWithPosAcquirer();
    const sameInstant = at(10);
    const created = [];
    for (let index = 0; index < 5; index += 1) created.push(await createCertificate(link, { notAfter: index < 3 ? sameInstant : at(11 + index) }));

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listExpiringCertificates({ filter: { window: '30', ...(cursor ? { cursor } : {}) }, now: at(9), pageSize: 2 });
      expect(page.total).toBe(5);
      seen.push(...page.rows.map((row) => row.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 10);

    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    expect(seen.sort()).toEqual(created.map((row) => row.id).sort());
  });

  it('falls back to 30 days for an unknown window and ignores a malformed cursor', async () => {
    const result = await listExpiringCertificates({ filter: { window: '365', cursor: "1'; DROP TABLE" }, now: clock().now });
    expect(result.filter).toEqual({ window: '30' });
  });
});
