import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { ContractStatus } from '@/lib/db/generated/prisma/enums';
import { dismissNotice } from '@/lib/notices/dismiss-notice';
import { listNoticesForOperator } from '@/lib/notices/list-notices-for-operator';
import { listNoticesForStore } from '@/lib/notices/list-notices-for-store';
import { publishNotice } from '@/lib/notices/publish-notice';
import { withdrawNotice } from '@/lib/notices/withdraw-notice';
import { getStoreOverview } from '@/lib/stores/get-store-overview';
import { createAcquirer, createContract } from '@/lib/testing/contract-fixtures';
import { createOperator, createStoreWithOwner, uniqueName } from '@/lib/testing/fixtures';

const HOUR = 3_600_000;

async function operatorActor(): Promise<Actor> {
  return { type: 'OPERATOR', id: (await createOperator()).userId };
}

/** A store (with its owner) holding a contract in the given status with each acquirer named. */
async function storeWith(contracts: [acquirerId: string, status: ContractStatus][] = []) {
  const store = await createStoreWithOwner();
  for (const [acquirerId, status] of contracts) await createContract({ storeId: store.storeId, acquirerId, status });
  return store;
}

async function visibleIds(storeId: string, now?: Date): Promise<string[]> {
  return (await listNoticesForStore({ storeId, take: 1000, ...(now ? { now } : {}) })).map((notice) => notice.id);
}

/** The operator's row of one notice. */
async function operatorRow(noticeId: string, now?: Date) {
  const row = (await listNoticesForOperator({ take: 10_000, ...(now ? { now } : {}) })).find((notice) => notice.id === noticeId);
  if (!row) throw new Error(`notice ${noticeId} is not in the operator's list`);
  return row;
}

/** A UTC date and time as the operator's form sends it. */
function formTime(date: Date): string {
  return date.toISOString().slice(0, 16);
}

describe('publishing notices and who sees them', () => {
  it('shows a notice for all stores to every store, audited as the operator’s, and lists it for the operator as live', async () => {
    const actor = await operatorActor();
    const [first, second] = [await storeWith(), await storeWith()];
    const title = uniqueName('Maintenance');

    const published = await publishNotice({ actor, input: { kind: 'NOTICE', title: `  ${title} `, body: 'Line one\r\nLine two', target: 'all' } });

    expect(published).toMatchObject({ kind: 'NOTICE', title, expiresAt: null, acquirerNames: [] });
    expect(await db().notice.findUniqueOrThrow({ where: { id: published.id } })).toMatchObject({ storeId: null, acquirerIds: [], body: 'Line one\nLine two', linkUrl: null, createdByOperatorId: actor.id, withdrawnAt: null });
    expect(await visibleIds(first.storeId)).toContain(published.id);
    expect(await visibleIds(second.storeId)).toContain(published.id);
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'notice.published', targetId: published.id } })).toMatchObject({
      actorType: 'OPERATOR',
      actorId: actor.id,
      storeId: null,
      targetType: 'Notice',
      data: { kind: 'NOTICE', target: 'all', acquirerCodes: [] },
    });
    expect(await operatorRow(published.id)).toMatchObject({ status: 'live', target: { type: 'all' }, dismissals: 0, title });

    // The overview reads the same list.
    expect((await getStoreOverview(first.storeId)).notices.map((notice) => notice.id)).toContain(published.id);
  });

  it('shows an acquirer’s notice to the stores with a verified (or withdrawing) contract with it, and to no other', async () => {
    const actor = await operatorActor();
    const [x, y] = [await createAcquirer('NX'), await createAcquirer('NY')];
    const ofX = await storeWith([[x.id, 'VERIFIED']]);
    const withdrawingFromX = await storeWith([[x.id, 'WITHDRAWING']]);
    const appliedToX = await storeWith([[x.id, 'APPLIED']]);
    const rejectedByX = await storeWith([[x.id, 'REJECTED']]);
    const withdrawnFromX = await storeWith([[x.id, 'WITHDRAWN']]);
    const ofY = await storeWith([[y.id, 'VERIFIED']]);
    const ofNone = await storeWith();

    const forX = await publishNotice({ actor, input: { kind: 'ALERT', title: uniqueName('Gateway change'), body: 'New address.', target: 'acquirers', acquirerIds: [x.id] } });
    const forBoth = await publishNotice({ actor, input: { kind: 'NOTICE', title: uniqueName('Both'), body: 'Both.', target: 'acquirers', acquirerIds: [y.id, x.id, x.id.toUpperCase()] } });

    expect(await db().notice.findUniqueOrThrow({ where: { id: forBoth.id }, select: { acquirerIds: true } })).toEqual({ acquirerIds: [x.id, y.id].sort() });
    for (const store of [ofX, withdrawingFromX]) expect(await visibleIds(store.storeId)).toEqual(expect.arrayContaining([forX.id, forBoth.id]));
    for (const store of [appliedToX, rejectedByX, withdrawnFromX, ofNone]) {
      const visible = await visibleIds(store.storeId);
      expect(visible).not.toContain(forX.id);
      expect(visible).not.toContain(forBoth.id);
    }
    const visibleToY = await visibleIds(ofY.storeId);
    expect(visibleToY).not.toContain(forX.id);
    expect(visibleToY).toContain(forBoth.id);

    expect(await operatorRow(forX.id)).toMatchObject({ kind: 'ALERT', target: { type: 'acquirers', acquirers: [{ id: x.id, code: x.code, name: x.name }] } });
    const audited = await db().auditEvent.findFirstOrThrow({ where: { action: 'notice.published', targetId: forBoth.id } });
    expect(audited.data).toMatchObject({ target: 'acquirers' });
    expect([...(audited.data as { acquirerCodes: string[] }).acquirerCodes].sort()).toEqual([x.code, y.code].sort());

    // A store's own notice (the schema's per-store target) is for that store alone.
    const own = await db().notice.create({ data: { storeId: ofNone.storeId, title: uniqueName('Own'), body: 'Only yours.' }, select: { id: true } });
    expect(await visibleIds(ofNone.storeId)).toContain(own.id);
    expect(await visibleIds(ofX.storeId)).not.toContain(own.id);
  });

  it('"all stores" ignores ticked acquirers', async () => {
    const x = await createAcquirer('NX');
    const notice = await publishNotice({ actor: await operatorActor(), input: { kind: 'NOTICE', title: uniqueName('All'), body: 'All.', target: 'all', acquirerIds: [x.id] } });
    expect(await db().notice.findUniqueOrThrow({ where: { id: notice.id }, select: { acquirerIds: true } })).toEqual({ acquirerIds: [] });
    expect(await visibleIds((await storeWith()).storeId)).toContain(notice.id);
  });

  it('follows the schedule: not before its start, not from its end on; the operator sees scheduled, live and ended', async () => {
    const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const start = new Date(now.getTime() + HOUR);
    const end = new Date(now.getTime() + 2 * HOUR);
    const store = await storeWith();
    const notice = await publishNotice({ actor: await operatorActor(), now, input: { kind: 'ADVERTISEMENT', title: uniqueName('Sale'), body: 'Cheap.', target: 'all', publishedAt: formTime(start), expiresAt: `${formTime(end)}:00Z` } });

    expect(notice).toMatchObject({ publishedAt: start, expiresAt: end });
    expect(await visibleIds(store.storeId, now)).not.toContain(notice.id);
    expect(await visibleIds(store.storeId, new Date(start.getTime() - 1))).not.toContain(notice.id);
    expect(await visibleIds(store.storeId, start)).toContain(notice.id);
    expect(await visibleIds(store.storeId, new Date(end.getTime() - 1))).toContain(notice.id);
    expect(await visibleIds(store.storeId, end)).not.toContain(notice.id);

    expect((await operatorRow(notice.id, now)).status).toBe('scheduled');
    expect((await operatorRow(notice.id, start)).status).toBe('live');
    expect((await operatorRow(notice.id, end)).status).toBe('ended');

    // Not dismissable before its start: the store cannot see it yet.
    await expect(dismissNotice({ storeId: store.storeId, storeUserId: store.userId, noticeId: notice.id, now })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().noticeDismissal.count({ where: { noticeId: notice.id } })).toBe(0);
  });

  it('takes a withdrawn notice down at once, audited; withdrawing again, an ended one, an unknown one or as a store user is refused', async () => {
    const actor = await operatorActor();
    const store = await storeWith();
    const notice = await publishNotice({ actor, input: { kind: 'INFORMATION', title: uniqueName('Weather'), body: 'Rain.', linkUrl: 'https://weather.example/tokyo', target: 'all' } });
    expect(await visibleIds(store.storeId)).toContain(notice.id);

    expect(await withdrawNotice({ actor, noticeId: notice.id })).toEqual({ title: notice.title });

    expect(await visibleIds(store.storeId)).not.toContain(notice.id);
    expect((await operatorRow(notice.id)).status).toBe('withdrawn');
    expect(await db().auditEvent.findFirstOrThrow({ where: { action: 'notice.withdrawn', targetId: notice.id } })).toMatchObject({ actorType: 'OPERATOR', actorId: actor.id, data: { kind: 'INFORMATION' } });
    await expect(withdrawNotice({ actor, noticeId: notice.id })).rejects.toMatchObject({ code: 'invalid_state_transition' });

    const now = new Date();
    const ended = await publishNotice({ actor, now, input: { kind: 'NOTICE', title: uniqueName('Short'), body: 'Brief.', target: 'all', expiresAt: formTime(new Date(now.getTime() + HOUR)) } });
    await expect(withdrawNotice({ actor, noticeId: ended.id, now: new Date(now.getTime() + 2 * HOUR) })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect((await db().notice.findUniqueOrThrow({ where: { id: ended.id } })).withdrawnAt).toBeNull();

    await expect(withdrawNotice({ actor, noticeId: randomUUID() })).rejects.toMatchObject({ code: 'not_found' });
    await expect(withdrawNotice({ actor, noticeId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'not_found' });
    const live = await publishNotice({ actor, input: { kind: 'NOTICE', title: uniqueName('Stays'), body: 'Stays.', target: 'all' } });
    await expect(withdrawNotice({ actor: { type: 'STORE_USER', id: store.userId }, noticeId: live.id })).rejects.toMatchObject({ code: 'not_found' });
    expect(await visibleIds(store.storeId)).toContain(live.id);
    expect(await db().auditEvent.count({ where: { action: 'notice.withdrawn', targetId: { in: [ended.id, live.id] } } })).toBe(0);
  });
});

describe('dismissing notices', () => {
  it('hides the notice from the dismissing store only, audited once for it; dismissing again is fine', async () => {
    const actor = await operatorActor();
    const x = await createAcquirer('NX');
    const [dismissing, other] = [await storeWith([[x.id, 'VERIFIED']]), await storeWith([[x.id, 'VERIFIED']])];
    const notice = await publishNotice({ actor, input: { kind: 'NOTICE', title: uniqueName('Dismiss me'), body: 'Read once.', target: 'acquirers', acquirerIds: [x.id] } });

    expect(await dismissNotice({ storeId: dismissing.storeId, storeUserId: dismissing.userId, noticeId: notice.id })).toEqual({ title: notice.title, alreadyDismissed: false });

    expect(await visibleIds(dismissing.storeId)).not.toContain(notice.id);
    expect((await getStoreOverview(dismissing.storeId)).notices.map((row) => row.id)).not.toContain(notice.id);
    expect(await visibleIds(other.storeId)).toContain(notice.id);
    expect(await db().noticeDismissal.findMany({ where: { noticeId: notice.id } })).toMatchObject([{ storeId: dismissing.storeId, storeUserId: dismissing.userId }]);
    expect(await db().auditEvent.findMany({ where: { action: 'notice.dismissed', targetId: notice.id } })).toMatchObject([
      { storeId: dismissing.storeId, actorType: 'STORE_USER', actorId: dismissing.userId, targetType: 'Notice', data: { kind: 'NOTICE', noticeTitle: notice.title } },
    ]);
    expect((await operatorRow(notice.id)).dismissals).toBe(1);

    expect(await dismissNotice({ storeId: dismissing.storeId, storeUserId: dismissing.userId, noticeId: notice.id })).toEqual({ title: notice.title, alreadyDismissed: true });
    expect(await db().noticeDismissal.count({ where: { noticeId: notice.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: 'notice.dismissed', targetId: notice.id } })).toBe(1);

    await dismissNotice({ storeId: other.storeId, storeUserId: other.userId, noticeId: notice.id });
    expect((await operatorRow(notice.id)).dismissals).toBe(2);
    expect(await visibleIds(other.storeId)).not.toContain(notice.id);
  });

  it('writes one dismissal and one audit event when a store dismisses at once from several tabs', async () => {
    const store = await storeWith();
    const notice = await publishNotice({ actor: await operatorActor(), input: { kind: 'NOTICE', title: uniqueName('Race'), body: 'Race.', target: 'all' } });
    const results = await Promise.all(Array.from({ length: 5 }, () => dismissNotice({ storeId: store.storeId, storeUserId: store.userId, noticeId: notice.id })));
    expect(results.filter((result) => !result.alreadyDismissed)).toHaveLength(1);
    expect(await db().noticeDismissal.count({ where: { noticeId: notice.id } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: 'notice.dismissed', targetId: notice.id } })).toBe(1);
  });

  it('still takes a click on a notice withdrawn since the page was shown', async () => {
    const actor = await operatorActor();
    const store = await storeWith();
    const notice = await publishNotice({ actor, input: { kind: 'NOTICE', title: uniqueName('Late'), body: 'Late.', target: 'all' } });
    await withdrawNotice({ actor, noticeId: notice.id });
    expect(await dismissNotice({ storeId: store.storeId, storeUserId: store.userId, noticeId: notice.id })).toMatchObject({ alreadyDismissed: false });
  });

  it('answers not_found for a notice not addressed to the store (another store’s, another acquirer’s) or unknown, writing nothing', async () => {
    const actor = await operatorActor();
    const [x, y] = [await createAcquirer('NX'), await createAcquirer('NY')];
    const store = await storeWith([[x.id, 'VERIFIED'], [y.id, 'APPLIED']]);
    const otherStore = await storeWith([[y.id, 'VERIFIED']]);
    const othersOwn = await db().notice.create({ data: { storeId: otherStore.storeId, title: uniqueName('Theirs'), body: 'Not yours.' }, select: { id: true } });
    const forY = await publishNotice({ actor, input: { kind: 'NOTICE', title: uniqueName('For Y'), body: 'Y only.', target: 'acquirers', acquirerIds: [y.id] } });

    for (const noticeId of [othersOwn.id, forY.id, randomUUID(), 'not-a-uuid']) {
      await expect(dismissNotice({ storeId: store.storeId, storeUserId: store.userId, noticeId })).rejects.toMatchObject({ code: 'not_found', message: 'Notice not found.' });
    }
    expect(await db().noticeDismissal.count({ where: { storeId: store.storeId } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: 'notice.dismissed', storeId: store.storeId } })).toBe(0);
    // The store it is addressed to still sees it.
    expect(await visibleIds(otherStore.storeId)).toEqual(expect.arrayContaining([othersOwn.id, forY.id]));
  });
});

describe('publishNotice validation', () => {
  const valid = { kind: 'NOTICE', title: 'Valid title', body: 'Valid body.', target: 'all' };

  it.each([
    ['an empty title', { title: '   ' }, 'title'],
    ['a title of 201 characters', { title: 'x'.repeat(201) }, 'title'],
    ['an empty body', { body: '\r\n ' }, 'body'],
    ['a body of 5001 characters', { body: 'x'.repeat(5001) }, 'body'],
    ['an unknown kind', { kind: 'POPUP' }, 'kind'],
    ['a javascript: link', { linkUrl: 'javascript:alert(1)' }, 'linkUrl'],
    ['a relative link', { linkUrl: '/somewhere' }, 'linkUrl'],
    ['a link with credentials', { linkUrl: 'https://user:secret@example.com/' }, 'linkUrl'],
    ['an information panel without a link', { kind: 'INFORMATION', linkUrl: '' }, 'linkUrl'],
    ['acquirer targeting with no acquirer', { target: 'acquirers', acquirerIds: [] }, 'acquirerIds'],
    ['an acquirer id that is not one', { target: 'acquirers', acquirerIds: ['ACQ-CARD'] }, 'acquirerIds.0'],
    ['an unknown target', { target: 'some' }, 'target'],
    ['a start that is not a date', { publishedAt: 'tomorrow' }, 'publishedAt'],
    ['a start on a day that does not exist', { publishedAt: '2031-02-30T10:00' }, 'publishedAt'],
    ['an end before the start', { publishedAt: '2031-01-02T10:00', expiresAt: '2031-01-02T09:59' }, 'expiresAt'],
    ['an end equal to the start', { publishedAt: '2031-01-02T10:00', expiresAt: '2031-01-02T10:00' }, 'expiresAt'],
    ['an end already past', { expiresAt: '2020-01-01T00:00' }, 'expiresAt'],
  ])('refuses %s with the field, writing nothing', async (_label, fields, path) => {
    const title = uniqueName('Refused');
    const attempt = publishNotice({ actor: await operatorActor(), input: { ...valid, title, ...fields } });
    await expect(attempt).rejects.toMatchObject({ code: 'validation_failed', fields: expect.arrayContaining([expect.objectContaining({ path })]) });
    expect(await db().notice.count({ where: { title } })).toBe(0);
  });

  it('refuses an acquirer that does not exist, writing nothing, and anyone but the operator', async () => {
    const x = await createAcquirer('NX');
    const title = uniqueName('Unknown acquirer');
    await expect(publishNotice({ actor: await operatorActor(), input: { ...valid, title, target: 'acquirers', acquirerIds: [x.id, randomUUID()] } })).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [expect.objectContaining({ path: 'acquirerIds' })],
    });
    const store = await storeWith();
    await expect(publishNotice({ actor: { type: 'STORE_USER', id: store.userId }, input: { ...valid, title } })).rejects.toMatchObject({ code: 'not_found' });
    expect(await db().notice.count({ where: { title } })).toBe(0);
    expect(await db().auditEvent.count({ where: { action: 'notice.published', actorId: store.userId } })).toBe(0);
  });

  it('takes an information panel with its link, and an optional link on other kinds', async () => {
    const actor = await operatorActor();
    const panel = await publishNotice({ actor, input: { ...valid, kind: 'INFORMATION', title: uniqueName('Rates'), linkUrl: ' https://rates.example/jpy ' } });
    const plain = await publishNotice({ actor, input: { ...valid, title: uniqueName('Plain'), linkUrl: '' } });
    expect(await db().notice.findMany({ where: { id: { in: [panel.id, plain.id] } }, orderBy: { kind: 'asc' }, select: { kind: true, linkUrl: true } })).toEqual([
      { kind: 'NOTICE', linkUrl: null },
      { kind: 'INFORMATION', linkUrl: 'https://rates.example/jpy' },
    ]);
  });
});
