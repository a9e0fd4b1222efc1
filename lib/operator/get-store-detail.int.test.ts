import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { getStoreDetail } from '@/lib/operator/get-store-detail';
import { resumeStore } from '@/lib/stores/resume-store';
import { suspendStore } from '@/lib/stores/suspend-store';
import { createCertificate, createStoreWithPosAcquirer } from '@/lib/testing/certificate-fixtures';
import { createOperator, createStoreWithOwner } from '@/lib/testing/fixtures';

describe('getStoreDetail', () => {
  it('reads the store’s contracts, POSes with their acquirers, current certificates and latest audit events', async () => {
    const link = await createStoreWithPosAcquirer();
    const active = await createCertificate(link, { notAfter: new Date(Date.now() + 40 * 86_400_000) });
    await createCertificate(link, { notAfter: new Date(Date.now() + 10 * 86_400_000), status: 'SUPERSEDED' });
    await db().auditEvent.create({ data: { storeId: link.storeId, actorType: 'SYSTEM', action: 'certificate.issued' } });
    // Another store's records never show.
    const other = await createStoreWithPosAcquirer();
    await createCertificate(other, { notAfter: new Date(Date.now() + 5 * 86_400_000) });
    await db().auditEvent.create({ data: { storeId: other.storeId, actorType: 'SYSTEM', action: 'certificate.expired' } });

    const detail = await getStoreDetail(link.storeId);

    expect(detail?.store).toMatchObject({ id: link.storeId, name: link.storeName, contactEmail: link.contactEmail, status: 'ACTIVE' });
    expect(detail?.suspension).toBeNull();
    expect(detail?.contracts).toMatchObject([{ status: 'VERIFIED', acquirer: { code: link.acquirerCode } }]);
    expect(detail?.poses).toMatchObject([{ name: link.posName, acquirers: [{ status: 'REGISTERED', acquirer: { code: link.acquirerCode } }] }]);
    expect(detail?.certificates).toMatchObject([{ id: active.id, serialNumber: active.serialNumber, usage: 'SIGNATURE', status: 'ACTIVE', pos: { name: link.posName }, acquirer: { code: link.acquirerCode } }]);
    expect(detail?.recentAuditEvents).toMatchObject([{ action: 'certificate.issued', actionLabel: 'Certificates issued' }]);
  });

  it('says who holds a suspension, why and since when, and whether the operator may lift it', async () => {
    const store = await createStoreWithOwner();
    const operator = await createOperator();
    const actor = { type: 'OPERATOR' as const, id: operator.userId };
    const since = new Date('2024-05-01T10:00:00Z');
    await suspendStore({ storeId: store.storeId, actor, source: 'OPERATOR', reason: 'Unusual refunds', now: since });

    expect((await getStoreDetail(store.storeId))?.suspension).toEqual({
      source: 'OPERATOR',
      byLabel: 'the operator',
      byWhom: `Test Operator <${operator.email}>`,
      reason: 'Unusual refunds',
      since,
      operatorMayResume: true,
    });

    await resumeStore({ storeId: store.storeId, actor, source: 'OPERATOR' });
    await suspendStore({ storeId: store.storeId, actor: { type: 'STORE_USER', id: store.userId }, source: 'STORE', reason: 'Password leaked' });
    expect((await getStoreDetail(store.storeId))?.suspension).toMatchObject({ source: 'STORE', byLabel: 'the store', byWhom: `Test Owner <${store.email}>`, operatorMayResume: false });
    const detail = await getStoreDetail(store.storeId);
    expect(detail?.recentAuditEvents.map((event) => event.action)).toEqual(['store.suspended', 'store.resumed', 'store.suspended']);
  });

  it('is null for an unknown or malformed id', async () => {
    expect(await getStoreDetail(randomUUID())).toBeNull();
    expect(await getStoreDetail('../../etc')).toBeNull();
    expect(await getStoreDetail('')).toBeNull();
  });
});
