import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listOperatorAuditEvents, parseOperatorAuditFilter } from '@/lib/audit/list-operator-audit-events';
import { db } from '@/lib/db/client';
import { createOperator, createStoreWithOwner } from '@/lib/testing/fixtures';

const DAY = 86_400_000;
// Days of their own, so date-filtered reads see only this file's events.
const base = Date.parse('2019-02-11T09:00:00Z');

async function events() {
  const store = await createStoreWithOwner();
  const other = await createStoreWithOwner();
  const operator = await createOperator();
  const acquirer = await db().acquirer.create({ data: { code: `ACQ-${randomUUID().slice(0, 8)}`, name: 'Audit Acq', brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set' }, select: { id: true, code: true } });
  const at = (days: number, minutes = 0) => new Date(base + days * DAY + minutes * 60_000);
  await db().auditEvent.createMany({
    data: [
      { storeId: store.storeId, actorType: 'STORE_USER', actorId: store.userId, action: 'auth.login', createdAt: at(0) },
      { storeId: store.storeId, actorType: 'OPERATOR', actorId: operator.userId, action: 'store.suspended', createdAt: at(1) },
      { storeId: store.storeId, actorType: 'OPERATOR', actorId: operator.userId, action: 'store.resumed', createdAt: at(1, 5) },
      { storeId: other.storeId, actorType: 'ACQUIRER', actorId: acquirer.id, action: 'store.suspended', createdAt: at(2) },
      { storeId: null, actorType: 'OPERATOR', actorId: operator.userId, action: 'acquirer.created', createdAt: at(3), targetType: 'Acquirer', targetId: acquirer.id },
      { storeId: other.storeId, actorType: 'SYSTEM', action: 'certificate.expired', createdAt: at(4) },
    ],
  });
  return { store, other, operator, acquirer };
}

const inRange = { from: '2019-02-11', to: '2019-02-15' };

describe('the operator’s audit log', () => {
  it('filters by action prefix, store, actor type, actor id and UTC days, newest first, naming actors', async () => {
    const { store, other, operator, acquirer } = await events();

    const all = await listOperatorAuditEvents({ filter: inRange });
    expect(all.ignored).toEqual([]);
    expect(all.events.map((event) => event.action)).toEqual(['certificate.expired', 'acquirer.created', 'store.suspended', 'store.resumed', 'store.suspended', 'auth.login']);

    const byStore = await listOperatorAuditEvents({ filter: { ...inRange, storeId: store.storeId } });
    expect(byStore.events.map((event) => event.action)).toEqual(['store.resumed', 'store.suspended', 'auth.login']);
    expect(byStore.events[0]).toMatchObject({ store: { id: store.storeId, name: store.storeName }, actorType: 'OPERATOR', actorName: 'Test Operator', actionLabel: 'Store resumed' });

    const suspensions = await listOperatorAuditEvents({ filter: { ...inRange, action: 'store.susp' } });
    expect(suspensions.events.map((event) => event.store?.id)).toEqual([other.storeId, store.storeId]);
    expect(suspensions.events[0]).toMatchObject({ actorType: 'ACQUIRER', actorName: acquirer.code });

    const byOperator = await listOperatorAuditEvents({ filter: { ...inRange, actorType: 'OPERATOR' } });
    expect(byOperator.events.map((event) => event.action)).toEqual(['acquirer.created', 'store.resumed', 'store.suspended']);
    expect(byOperator.events[0]).toMatchObject({ store: null, targetType: 'Acquirer', targetId: acquirer.id });

    const byUser = await listOperatorAuditEvents({ filter: { ...inRange, actorId: store.userId } });
    expect(byUser.events).toMatchObject([{ action: 'auth.login', actorName: store.email }]);

    const oneDay = await listOperatorAuditEvents({ filter: { from: '2019-02-12', to: '2019-02-12', actorId: operator.userId } });
    expect(oneDay.events.map((event) => event.action)).toEqual(['store.resumed', 'store.suspended']);
  });

  it('pages older by keyset: every event once, also with several in the same millisecond', async () => {
    const store = await createStoreWithOwner();
    const instant = new Date(base - 30 * DAY);
    await db().auditEvent.createMany({
      data: Array.from({ length: 7 }, (_, index) => ({ storeId: store.storeId, actorType: 'SYSTEM' as const, action: 'certificate.expired', createdAt: index < 4 ? instant : new Date(instant.getTime() - index * 1000) })),
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await listOperatorAuditEvents({ filter: { storeId: store.storeId, ...(cursor ? { cursor } : {}) }, pageSize: 3 });
      seen.push(...page.events.map((event) => event.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(7);
  });

  it('ignores each unusable filter with a message and applies the others', async () => {
    const { store } = await events();
    const result = await listOperatorAuditEvents({
      filter: { ...inRange, storeId: store.storeId, action: 'Store.%', actorType: 'ROOT', actorId: "x' OR 1=1", cursor: 'nope' },
    });
    expect(result.ignored).toHaveLength(4);
    expect(result.ignored.join(' ')).toMatch(/action filter/);
    expect(result.ignored.join(' ')).toMatch(/actor type/);
    expect(result.ignored.join(' ')).toMatch(/actor id/);
    expect(result.ignored.join(' ')).toMatch(/page link/);
    expect(result.filter).toEqual({ ...inRange, storeId: store.storeId });
    expect(result.events.map((event) => event.action)).toEqual(['store.resumed', 'store.suspended', 'auth.login']);
  });

  it('reads the query string: empty fields are no filter, arrays take their first value, bad dates and reversed ranges are dropped', () => {
    expect(parseOperatorAuditFilter({ action: '', storeId: ' ', actorType: ['SYSTEM', 'OPERATOR'] })).toEqual({ filter: { actorType: 'SYSTEM' }, ignored: [] });
    expect(parseOperatorAuditFilter({ from: '2019-02-30', to: '2019-13-01' }).ignored).toHaveLength(2);
    expect(parseOperatorAuditFilter({ from: '2019-03-01', to: '2019-02-01' })).toEqual({ filter: {}, ignored: [expect.stringMatching(/after/)] });
    expect(parseOperatorAuditFilter({ storeId: 'not-a-uuid' }).ignored).toEqual([expect.stringMatching(/store id/)]);
    expect(parseOperatorAuditFilter(null)).toEqual({ filter: {}, ignored: [] });
  });
});
