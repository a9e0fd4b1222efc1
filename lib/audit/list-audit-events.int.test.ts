import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listStoreAuditEvents, STORE_AUDIT_PAGE_SIZE, type StoreAuditEvent } from '@/lib/audit/list-audit-events';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

const DAY = 86_400_000;
const base = Date.parse('2021-03-10T09:00:00Z');

/** Two stores with the same kinds of events at the same times, written straight to the database. */
async function twoStoresWithEvents() {
  const mine = await createStoreWithOwner();
  const theirs = await createStoreWithOwner();
  for (const store of [mine, theirs]) {
    await db().auditEvent.createMany({
      data: Array.from({ length: 60 }, (_, index) => ({
        storeId: store.storeId,
        actorType: 'STORE_USER' as const,
        actorId: store.userId,
        // Days 0–5 of the range, ten events a day, alternating between two groups.
        action: index % 2 === 0 ? 'auth.login' : 'store.profile_updated',
        createdAt: new Date(base + Math.floor(index / 10) * DAY + (index % 10) * 60_000),
        data: { storeInfoVersion: index },
      })),
    });
  }
  const asOwner = (store: typeof mine): Actor => ({ type: 'STORE_USER', id: store.userId });
  return { mine, theirs, asOwner };
}

async function allPages(options: Parameters<typeof listStoreAuditEvents>[0]) {
  const pages: StoreAuditEvent[][] = [];
  let cursor: string | null = null;
  do {
    const filter: Record<string, unknown> = { ...(options.filter as object), ...(cursor ? { cursor } : {}) };
    const page = await listStoreAuditEvents({ ...options, filter });
    pages.push(page.events);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
}

describe('listStoreAuditEvents', () => {
  it('lists only the store’s own events, newest first, 50 a page, and the cursor walks every page once', async () => {
    const { mine, theirs, asOwner } = await twoStoresWithEvents();
    const theirIds = new Set((await db().auditEvent.findMany({ where: { storeId: theirs.storeId }, select: { id: true } })).map((row) => row.id));

    const first = await listStoreAuditEvents({ storeId: mine.storeId, actor: asOwner(mine) });
    expect(first.events).toHaveLength(STORE_AUDIT_PAGE_SIZE);
    expect(first.nextCursor).not.toBeNull();

    const pages = await allPages({ storeId: mine.storeId, actor: asOwner(mine) });
    expect(pages.map((page) => page.length)).toEqual([50, 10]);
    const events = pages.flat();
    expect(new Set(events.map((event) => event.id)).size).toBe(60);
    expect(events.some((event) => theirIds.has(event.id))).toBe(false);
    const times = events.map((event) => event.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(events[0]).toMatchObject({
      action: 'store.profile_updated',
      actionLabel: 'Store information updated',
      actor: { type: 'STORE_USER', label: 'Store user', detail: `Test Owner <${mine.email}>` },
      details: [{ label: 'Version', value: '59' }],
    });

    // Small pages with events that share a timestamp still meet each event once.
    await db().auditEvent.createMany({
      data: Array.from({ length: 5 }, () => ({ storeId: mine.storeId, actorType: 'SYSTEM' as const, action: 'certificate.expired', createdAt: new Date(base + 3 * DAY) })),
    });
    const small = (await allPages({ storeId: mine.storeId, actor: asOwner(mine), pageSize: 7 })).flat();
    expect(small).toHaveLength(65);
    expect(new Set(small.map((event) => event.id)).size).toBe(65);
  });

  it('filters by action group and by a range of days, across pages', async () => {
    const { mine, asOwner } = await twoStoresWithEvents();
    const auth = (await allPages({ storeId: mine.storeId, actor: asOwner(mine), filter: { action: 'auth.' } })).flat();
    expect(auth).toHaveLength(30);
    expect(auth.every((event) => event.action === 'auth.login' && event.actionLabel === 'Signed in')).toBe(true);

    const days = await listStoreAuditEvents({ storeId: mine.storeId, actor: asOwner(mine), filter: { from: '2021-03-11', to: '2021-03-12' } });
    expect(days.events).toHaveLength(20);
    expect(days.nextCursor).toBeNull();
    expect(days.events.every((event) => event.createdAt >= new Date('2021-03-11T00:00:00Z') && event.createdAt < new Date('2021-03-13T00:00:00Z'))).toBe(true);

    const both = await listStoreAuditEvents({ storeId: mine.storeId, actor: asOwner(mine), filter: { action: 'store.', from: '2021-03-15' } });
    expect(both.events.map((event) => event.action)).toEqual(Array(5).fill('store.profile_updated'));

    // Garbage in the query string is ignored, not an error.
    const garbage = await listStoreAuditEvents({ storeId: mine.storeId, actor: asOwner(mine), filter: { action: "auth.' OR 1=1", from: 'yesterday', to: '2021-02-30', cursor: 'nope' } });
    expect(garbage.filter).toEqual({ action: undefined, from: undefined, to: undefined, cursor: undefined });
    expect(garbage.events).toHaveLength(50);
  });

  it('answers not_found to anyone but the store’s own users (and the operator)', async () => {
    const { mine, theirs, asOwner } = await twoStoresWithEvents();
    await expect(listStoreAuditEvents({ storeId: mine.storeId, actor: asOwner(theirs) })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(listStoreAuditEvents({ storeId: mine.storeId, actor: { type: 'ANONYMOUS', id: null } })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listStoreAuditEvents({ storeId: randomUUID(), actor: asOwner(mine) })).rejects.toMatchObject({ code: 'not_found' });
    await expect(listStoreAuditEvents({ storeId: 'not-an-id', actor: asOwner(mine) })).rejects.toMatchObject({ code: 'not_found' });
    const operator = await listStoreAuditEvents({ storeId: mine.storeId, actor: { type: 'OPERATOR', id: randomUUID() } });
    expect(operator.events).toHaveLength(50);
  });

  it('names the actor, shows where the request came from, and never shows a data field that is not whitelisted', async () => {
    const mine = await createStoreWithOwner();
    const theirs = await createStoreWithOwner();
    const acquirer = await db().acquirer.create({
      data: { code: `ACQ-${randomUUID().slice(0, 6)}`, name: 'Audit Acquirer', brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:1/set' },
      select: { id: true, code: true },
    });
    const at = (minutes: number) => new Date(base + minutes * 60_000);
    const userAgent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    await db().auditEvent.createMany({
      data: [
        { storeId: mine.storeId, actorType: 'STORE_USER', actorId: mine.userId, action: 'auth.login_failed', createdAt: at(5), ipAddress: '203.0.113.5', userAgent, data: { failedLoginCount: 3 } },
        {
          storeId: mine.storeId,
          actorType: 'ANONYMOUS',
          action: 'contract.merchant_number_claim_refused',
          createdAt: at(4),
          targetType: 'Acquirer',
          targetId: acquirer.id,
          data: { acquirerCode: acquirer.code, merchantNumber: 'M-1', applicantStoreId: theirs.storeId, secretNote: 'never shown' },
        },
        { storeId: mine.storeId, actorType: 'ACQUIRER', actorId: acquirer.id, action: 'store.suspended', createdAt: at(3), data: { source: 'ACQUIRER', reason: 'Chargebacks', acquirerId: acquirer.id } },
        { storeId: mine.storeId, actorType: 'OPERATOR', actorId: randomUUID(), action: 'store.resumed', createdAt: at(2) },
        // A user of another store named on this store's event: their name is not looked up here.
        { storeId: mine.storeId, actorType: 'STORE_USER', actorId: theirs.userId, action: 'something.new', createdAt: at(1), targetType: 'StoreUser', targetId: theirs.userId },
        { storeId: mine.storeId, actorType: 'SYSTEM', action: 'certificate.expiry_alert_sent', createdAt: at(0), data: { thresholdDays: 7 } },
      ],
    });

    const { events } = await listStoreAuditEvents({ storeId: mine.storeId, actor: { type: 'STORE_USER', id: mine.userId } });
    expect(events.map(({ action, actionLabel, actor, target, origin, details }) => ({ action, actionLabel, actor, target, origin, details }))).toEqual([
      {
        action: 'auth.login_failed',
        actionLabel: 'Sign-in failed',
        actor: { type: 'STORE_USER', label: 'Store user', detail: `Test Owner <${mine.email}>` },
        target: null,
        origin: { ipAddress: '203.0.113.5', userAgent, userAgentSummary: 'Chrome 131 on Windows' },
        details: [{ label: 'Failed sign-ins in a row', value: '3' }],
      },
      {
        action: 'contract.merchant_number_claim_refused',
        actionLabel: 'Someone else tried to enrol this store’s merchant number',
        actor: { type: 'ANONYMOUS', label: 'Anonymous visitor', detail: null },
        target: { type: 'Acquirer', id: acquirer.id, label: acquirer.code },
        origin: { ipAddress: null, userAgent: null, userAgentSummary: null },
        details: [
          { label: 'Acquirer', value: acquirer.code },
          { label: 'Merchant number', value: 'M-1' },
        ],
      },
      {
        action: 'store.suspended',
        actionLabel: 'Store suspended',
        actor: { type: 'ACQUIRER', label: 'Acquirer', detail: acquirer.code },
        target: null,
        origin: { ipAddress: null, userAgent: null, userAgentSummary: null },
        details: [
          { label: 'By', value: 'acquirer' },
          { label: 'Reason', value: 'Chargebacks' },
        ],
      },
      {
        action: 'store.resumed',
        actionLabel: 'Store resumed',
        actor: { type: 'OPERATOR', label: 'ServerPOS operator', detail: null },
        target: null,
        origin: { ipAddress: null, userAgent: null, userAgentSummary: null },
        details: [],
      },
      {
        action: 'something.new',
        actionLabel: null,
        actor: { type: 'STORE_USER', label: 'Store user', detail: null },
        target: { type: 'StoreUser', id: theirs.userId, label: null },
        origin: { ipAddress: null, userAgent: null, userAgentSummary: null },
        details: [],
      },
      {
        action: 'certificate.expiry_alert_sent',
        actionLabel: 'Expiry warning e-mailed',
        actor: { type: 'SYSTEM', label: 'System', detail: null },
        target: null,
        origin: { ipAddress: null, userAgent: null, userAgentSummary: null },
        details: [{ label: 'Warning', value: '7 days before' }],
      },
    ]);
    const everything = JSON.stringify(events);
    expect(everything).not.toContain(theirs.storeId);
    expect(everything).not.toContain(theirs.email);
    expect(everything).not.toContain('never shown');
  });
});
