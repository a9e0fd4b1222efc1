/**
 * Store information kept in step both ways with real simulated acquirers (separate processes over HTTP):
 * console changes pushed through the outbox handler, acquirer changes pulled, stale pushes, conflicts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAtAcquirer } from '@/lib/acquirers/registry-client';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { outboxHandlers } from '@/lib/jobs/outbox-handlers';
import { createMailer } from '@/lib/mail/transport';
import { applyAcquirerStoreInfo } from '@/lib/stores/apply-acquirer-store-info';
import { checkAcquirersForChanges } from '@/lib/stores/check-acquirers-for-changes';
import { STORE_INFO_OUTBOX_KIND } from '@/lib/stores/enqueue-store-info-push';
import { getStoreInfoHistory } from '@/lib/stores/get-store-info-history';
import { pullAllStoresInfo, pullStoreInfo } from '@/lib/stores/pull-store-info';
import { updateStoreProfile } from '@/lib/stores/update-store-profile';
import { createStoreWithOwner } from '@/lib/testing/fixtures';
import { startSimWorld, type SimWorld } from '@/lib/testing/sim-world';

let world: SimWorld;
// The handler never sends mail; the worker's context just has a mailer in it.
const mailer = createMailer('smtp://127.0.0.1:1', 'ServerPOS <test@serverpos.localhost>');

beforeAll(async () => {
  world = await startSimWorld();
}, 120_000);

afterAll(async () => {
  mailer.close();
  await world?.stop();
});

const partner = () => ({ 'content-type': 'application/json', authorization: `Bearer ${env().PARTNER_SECRET}` });

/** A store with verified contracts at ACQ-CARD ("Aozora…") and ACQ-JCB ("Fuji…"), fresh merchant numbers at both, and an APPLIED one at ACQ-BANK. */
async function storeAtTwoAcquirers() {
  const owner = await createStoreWithOwner();
  const actor: Actor = { type: 'STORE_USER', id: owner.userId };
  const contracts: Record<string, { id: string; merchantNumber: string }> = {};
  for (const code of ['ACQ-CARD', 'ACQ-JCB']) {
    const merchantNumber = `M-${randomUUID().slice(0, 8).toUpperCase()}`;
    const added = await fetch(`${world.sims.acquirers[code]!.adminUrl}/merchants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ merchantNumber, storeName: owner.storeName }) });
    expect(added.status).toBe(201);
    const acquirer = await db().acquirer.findUniqueOrThrow({ where: { code } });
    expect(await applyAtAcquirer(acquirer, { merchantNumber, storeName: owner.storeName })).toMatchObject({ status: 'verified' });
    const contract = await db().acquirerContract.create({ data: { storeId: owner.storeId, acquirerId: acquirer.id, merchantNumber, status: 'VERIFIED', verifiedAt: new Date() } });
    contracts[code] = { id: contract.id, merchantNumber };
  }
  const bank = await db().acquirer.findUniqueOrThrow({ where: { code: 'ACQ-BANK' } });
  await db().acquirerContract.create({ data: { storeId: owner.storeId, acquirerId: bank.id, merchantNumber: `B-${randomUUID().slice(0, 8)}`, status: 'APPLIED' } });
  return { ...owner, actor, card: contracts['ACQ-CARD']!, jcb: contracts['ACQ-JCB']! };
}

function profile(overrides: Partial<Record<string, string>> = {}) {
  return { name: 'Tea House', contactEmail: 'shop@tea.example', phone: '', postalAddress: '', websiteUrl: '', certificateAlertDays: '30', ...overrides };
}

/** What the acquirer's registry holds for a merchant. */
async function held(code: string, merchantNumber: string) {
  const response = await fetch(`${world.sims.acquirers[code]!.registryUrl}/merchants/${merchantNumber}`, { headers: partner() });
  return ((await response.json()) as { info: Record<string, unknown> & { version: number } }).info;
}

async function changeAtAcquirer(code: string, merchantNumber: string, change: object) {
  const response = await fetch(`${world.sims.acquirers[code]!.adminUrl}/merchants/${merchantNumber}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { info: { version: number } }).info;
}

function pendingPushes(storeId: string) {
  return db().outboxMessage.findMany({ where: { storeId, kind: STORE_INFO_OUTBOX_KIND, status: 'PENDING' }, orderBy: { createdAt: 'asc' } });
}

/** Runs the registered outbox handler on every pending store-information message, as the worker would. */
async function deliverPending(storeId: string) {
  const handler = outboxHandlers[STORE_INFO_OUTBOX_KIND]!;
  for (const message of await pendingPushes(storeId)) {
    await handler.deliver({ id: message.id, storeId: message.storeId, payload: message.payload }, { prisma: db(), mailer });
    await db().outboxMessage.update({ where: { id: message.id }, data: { status: 'DELIVERED', deliveredAt: new Date() } });
  }
}

async function acked(contractId: string) {
  return (await db().acquirerContract.findUniqueOrThrow({ where: { id: contractId } })).storeInfoVersionAcked;
}

async function storeInfo(storeId: string) {
  return db().store.findUniqueOrThrow({ where: { id: storeId }, select: { name: true, contactEmail: true, phone: true, postalAddress: true, websiteUrl: true, storeInfoVersion: true } });
}

describe('a console change', () => {
  it('is a new version with its revision and one outbox message per verified contract, and reaches each acquirer through the handler', async () => {
    const store = await storeAtTwoAcquirers();

    expect(await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile({ phone: '+81 3 1234 5678', websiteUrl: 'https://tea.example' }) })).toEqual({ storeInfoVersion: 2, infoChanged: true });

    const messages = await pendingPushes(store.storeId);
    expect(messages.map((message) => message.payload)).toEqual(expect.arrayContaining([{ contractId: store.card.id, version: 2 }, { contractId: store.jcb.id, version: 2 }]));
    expect(messages).toHaveLength(2);
    const revisions = await db().storeInfoRevision.findMany({ where: { storeId: store.storeId }, orderBy: { version: 'asc' } });
    expect(revisions).toMatchObject([
      { version: 1, source: 'ENROLMENT', name: store.storeName },
      { version: 2, source: 'CONSOLE', storeUserId: store.userId, name: 'Tea House', phone: '+81 3 1234 5678', websiteUrl: 'https://tea.example', postalAddress: null },
    ]);

    await deliverPending(store.storeId);

    const expected = { version: 2, name: 'Tea House', contactEmail: 'shop@tea.example', phone: '+81 3 1234 5678', websiteUrl: 'https://tea.example' };
    expect(await held('ACQ-CARD', store.card.merchantNumber)).toEqual({ ...expected, status: 'active' });
    expect(await held('ACQ-JCB', store.jcb.merchantNumber)).toEqual({ ...expected, status: 'active' });
    expect(await acked(store.card.id)).toBe(2);
    expect(await acked(store.jcb.id)).toBe(2);
  });

  it('sends the current information, not the version it was queued for, and nothing once acknowledged', async () => {
    const store = await storeAtTwoAcquirers();
    await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile({ name: 'First' }) });
    const [first] = await pendingPushes(store.storeId);
    await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile({ name: 'Second' }) });

    const handler = outboxHandlers[STORE_INFO_OUTBOX_KIND]!;
    await handler.deliver({ id: first!.id, storeId: store.storeId, payload: first!.payload }, { prisma: db(), mailer });
    const contractId = (first!.payload as { contractId: string }).contractId;
    const code = contractId === store.card.id ? 'ACQ-CARD' : 'ACQ-JCB';
    const merchantNumber = contractId === store.card.id ? store.card.merchantNumber : store.jcb.merchantNumber;
    expect(await held(code, merchantNumber)).toMatchObject({ version: 3, name: 'Second' });
    expect(await acked(contractId)).toBe(3);

    // Delivered again (a worker died before recording it): the acquirer is already at 3, nothing is sent.
    await changeAtAcquirer(code, merchantNumber, { phone: '+81 3 0000 0000' });
    await handler.deliver({ id: first!.id, storeId: store.storeId, payload: first!.payload }, { prisma: db(), mailer });
    expect(await held(code, merchantNumber)).toMatchObject({ version: 4, name: 'Second', phone: '+81 3 0000 0000' });
  });

  it('of the certificate alert threshold alone is no new version and tells no acquirer', async () => {
    const store = await storeAtTwoAcquirers();
    const same = profile({ name: store.storeName, contactEmail: store.email });

    expect(await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: { ...same, certificateAlertDays: '60' } })).toEqual({ storeInfoVersion: 1, infoChanged: false });

    expect(await db().store.findUniqueOrThrow({ where: { id: store.storeId } })).toMatchObject({ certificateAlertDays: 60, storeInfoVersion: 1 });
    expect(await pendingPushes(store.storeId)).toEqual([]);
    expect(await db().storeInfoRevision.count({ where: { storeId: store.storeId } })).toBe(0);
    expect(await db().auditEvent.findFirst({ where: { storeId: store.storeId, action: 'store.profile_updated' } })).toMatchObject({ data: { storeInfoVersion: 1, fields: ['certificateAlertDays'] } });
  });
});

describe('a change at an acquirer', () => {
  it('is pulled: the store takes it with a revision, that acquirer counts as acknowledged, the others get outbox messages', async () => {
    const store = await storeAtTwoAcquirers();
    await changeAtAcquirer('ACQ-CARD', store.card.merchantNumber, { name: 'Tea House Ginza', phone: '+81 3 5555 0000' });

    const results = await pullStoreInfo({ storeId: store.storeId });

    expect(results).toEqual([
      expect.objectContaining({ acquirerName: 'Aozora Card Services', outcome: 'applied', acquirerVersion: 2, storeInfoVersion: 2, changedFields: ['name', 'phone'] }),
      // Fuji is behind now; a message for it is already queued, so none is added.
      expect.objectContaining({ acquirerName: 'Fuji JCB Acquiring', outcome: 'acquirer_behind', acquirerVersion: 1, storeInfoVersion: 2 }),
    ]);
    expect(await storeInfo(store.storeId)).toEqual({ name: 'Tea House Ginza', contactEmail: store.email, phone: '+81 3 5555 0000', postalAddress: null, websiteUrl: null, storeInfoVersion: 2 });
    const acquirerId = world.acquirerIds['ACQ-CARD'];
    expect(await db().storeInfoRevision.findFirst({ where: { storeId: store.storeId, version: 2 } })).toMatchObject({ source: 'ACQUIRER', acquirerId, storeUserId: null, name: 'Tea House Ginza' });
    expect(await acked(store.card.id)).toBe(2);
    expect((await pendingPushes(store.storeId)).map((message) => message.payload)).toEqual([{ contractId: store.jcb.id, version: 2 }]);
    expect(await db().auditEvent.findFirst({ where: { storeId: store.storeId, action: 'store.info_changed_by_acquirer' } })).toMatchObject({ actorType: 'ACQUIRER', actorId: acquirerId, data: { storeInfoVersion: 2, previousVersion: 1, fields: ['name', 'phone'] } });

    await deliverPending(store.storeId);
    expect(await held('ACQ-JCB', store.jcb.merchantNumber)).toMatchObject({ version: 2, name: 'Tea House Ginza', phone: '+81 3 5555 0000', contactEmail: store.email });
    expect(await pullStoreInfo({ storeId: store.storeId })).toEqual([expect.objectContaining({ outcome: 'unchanged' }), expect.objectContaining({ outcome: 'unchanged' })]);
  });

  it('the scheduled pull covers active and suspended stores and leaves withdrawn ones alone', async () => {
    const active = await storeAtTwoAcquirers();
    const suspended = await storeAtTwoAcquirers();
    const withdrawn = await storeAtTwoAcquirers();
    await db().store.update({ where: { id: suspended.storeId }, data: { status: 'SUSPENDED' } });
    await db().store.update({ where: { id: withdrawn.storeId }, data: { status: 'WITHDRAWN', withdrawnAt: new Date() } });
    for (const store of [active, suspended, withdrawn]) await changeAtAcquirer('ACQ-JCB', store.jcb.merchantNumber, { postalAddress: '1-1 Marunouchi' });

    const totals = await pullAllStoresInfo({ pageSize: 2 });

    expect(totals.applied).toBeGreaterThanOrEqual(2);
    expect(await storeInfo(active.storeId)).toMatchObject({ storeInfoVersion: 2, postalAddress: '1-1 Marunouchi' });
    expect(await storeInfo(suspended.storeId)).toMatchObject({ storeInfoVersion: 2, postalAddress: '1-1 Marunouchi' });
    expect(await storeInfo(withdrawn.storeId)).toMatchObject({ storeInfoVersion: 1, postalAddress: null });
  });

  it('answers a push with stale; the handler pulls and applies the newer version', async () => {
    const store = await storeAtTwoAcquirers();
    await changeAtAcquirer('ACQ-CARD', store.card.merchantNumber, { name: 'Acquirer Name' });
    await changeAtAcquirer('ACQ-CARD', store.card.merchantNumber, { websiteUrl: 'https://acquirer.example' });
    await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile({ name: store.storeName, contactEmail: store.email, phone: '+81 3 1111 2222' }) });

    await deliverPending(store.storeId);

    // The card acquirer's version 3 beat the console's 2: its name and website win; it does not keep a phone, so ours stays.
    expect(await storeInfo(store.storeId)).toEqual({ name: 'Acquirer Name', contactEmail: store.email, phone: '+81 3 1111 2222', postalAddress: null, websiteUrl: 'https://acquirer.example', storeInfoVersion: 3 });
    expect(await acked(store.card.id)).toBe(3);
    await deliverPending(store.storeId);
    expect(await held('ACQ-JCB', store.jcb.merchantNumber)).toMatchObject({ version: 3, name: 'Acquirer Name', websiteUrl: 'https://acquirer.example', phone: '+81 3 1111 2222' });
    expect(await acked(store.jcb.id)).toBe(3);
  });

  it("of the same version with other content loses to ServerPOS's copy, re-sent to everyone as the next version", async () => {
    const store = await storeAtTwoAcquirers();
    await changeAtAcquirer('ACQ-CARD', store.card.merchantNumber, { name: 'Acquirer Name' });
    await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile({ name: 'Console Name', contactEmail: store.email }) });

    await deliverPending(store.storeId);

    expect(await storeInfo(store.storeId)).toMatchObject({ name: 'Console Name', storeInfoVersion: 3 });
    expect(await db().storeInfoRevision.findFirst({ where: { storeId: store.storeId, version: 3 } })).toMatchObject({ source: 'CONSOLE', storeUserId: null, name: 'Console Name' });
    expect(await db().auditEvent.findFirst({ where: { storeId: store.storeId, action: 'store.info_conflict_resolved' } })).toMatchObject({ data: { storeInfoVersion: 3, conflictingVersion: 2, fields: ['name'] } });
    await deliverPending(store.storeId);
    expect(await held('ACQ-CARD', store.card.merchantNumber)).toMatchObject({ version: 3, name: 'Console Name' });
    expect(await held('ACQ-JCB', store.jcb.merchantNumber)).toMatchObject({ version: 3, name: 'Console Name' });
    expect([await acked(store.card.id), await acked(store.jcb.id)]).toEqual([3, 3]);
  });

  it('of an older version is ignored, and ours is queued for that acquirer once', async () => {
    const store = await storeAtTwoAcquirers();
    await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile({ name: 'Newer Here' }) });
    await db().outboxMessage.updateMany({ where: { storeId: store.storeId, kind: STORE_INFO_OUTBOX_KIND }, data: { status: 'FAILED' } });

    const first = await pullStoreInfo({ storeId: store.storeId });
    const second = await pullStoreInfo({ storeId: store.storeId });

    expect([...first, ...second].map((result) => result.outcome)).toEqual(['acquirer_behind', 'acquirer_behind', 'acquirer_behind', 'acquirer_behind']);
    expect(await storeInfo(store.storeId)).toMatchObject({ name: 'Newer Here', storeInfoVersion: 2 });
    expect((await pendingPushes(store.storeId)).map((message) => message.payload)).toEqual(expect.arrayContaining([{ contractId: store.card.id, version: 2 }, { contractId: store.jcb.id, version: 2 }]));
    expect(await pendingPushes(store.storeId)).toHaveLength(2);
  });

  it('is refused when it is not valid store information, and for an acquirer without a verified contract', async () => {
    const store = await storeAtTwoAcquirers();
    const before = await storeInfo(store.storeId);
    await expect(applyAcquirerStoreInfo({ storeId: store.storeId, acquirerId: world.acquirerIds['ACQ-CARD']!, info: { version: 9, name: '' } })).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(applyAcquirerStoreInfo({ storeId: store.storeId, acquirerId: world.acquirerIds['ACQ-BANK']!, info: { version: 9, name: 'Bank Name' } })).rejects.toMatchObject({ code: 'not_found' });
    const other = await createStoreWithOwner();
    await expect(applyAcquirerStoreInfo({ storeId: other.storeId, acquirerId: world.acquirerIds['ACQ-CARD']!, info: { version: 9, name: 'Elsewhere' } })).rejects.toMatchObject({ code: 'not_found' });
    expect(await storeInfo(store.storeId)).toEqual(before);
    expect(await storeInfo(other.storeId)).toMatchObject({ storeInfoVersion: 1 });
  });
});

describe('a console change and a pull at the same time', () => {
  it('end at one version that every revision, the store and both acquirers agree on', async () => {
    const store = await storeAtTwoAcquirers();
    await changeAtAcquirer('ACQ-CARD', store.card.merchantNumber, { name: 'Acquirer Name' });

    await Promise.all([
      updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile({ name: store.storeName, contactEmail: store.email, phone: '+81 3 2222 3333' }) }),
      pullStoreInfo({ storeId: store.storeId }),
    ]);
    // Whichever came first, the other made version 3 (a console change after the pull, or a conflict after the console change).
    const after = await storeInfo(store.storeId);
    expect(after.storeInfoVersion).toBe(3);
    const revisions = await db().storeInfoRevision.findMany({ where: { storeId: store.storeId }, orderBy: { version: 'asc' } });
    expect(revisions.map((revision) => revision.version)).toEqual([1, 2, 3]);
    expect(revisions[2]).toMatchObject({ name: after.name, phone: after.phone, contactEmail: after.contactEmail });

    // Deliver until nothing is pending; a conflict may queue another round.
    for (let round = 0; round < 3 && (await pendingPushes(store.storeId)).length > 0; round++) await deliverPending(store.storeId);
    const final = await storeInfo(store.storeId);
    expect(await held('ACQ-CARD', store.card.merchantNumber)).toMatchObject({ version: final.storeInfoVersion, name: final.name });
    expect(await held('ACQ-JCB', store.jcb.merchantNumber)).toMatchObject({ version: final.storeInfoVersion, name: final.name });
    expect([await acked(store.card.id), await acked(store.jcb.id)]).toEqual([final.storeInfoVersion, final.storeInfoVersion]);
  });
});

describe('delivery failures', () => {
  it('throw for an unreachable acquirer, so the queue retries; a withdrawn contract is skipped', async () => {
    const store = await storeAtTwoAcquirers();
    const down = await db().acquirer.create({ data: { code: `ACQ-DOWN-${randomUUID().slice(0, 8)}`, name: 'Down Acquiring', brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set', registryUrl: 'http://127.0.0.1:9/registry' } });
    const contract = await db().acquirerContract.create({ data: { storeId: store.storeId, acquirerId: down.id, merchantNumber: 'D-1', status: 'VERIFIED' } });
    await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile() });
    const handler = outboxHandlers[STORE_INFO_OUTBOX_KIND]!;
    const message = (await pendingPushes(store.storeId)).find((each) => (each.payload as { contractId: string }).contractId === contract.id)!;

    await expect(handler.deliver({ id: message.id, storeId: store.storeId, payload: message.payload }, { prisma: db(), mailer })).rejects.toMatchObject({ code: 'upstream_unavailable', message: 'Down Acquiring could not be reached. Try again in a moment.' });
    expect(await acked(contract.id)).toBe(0);

    await db().acquirerContract.update({ where: { id: contract.id }, data: { status: 'WITHDRAWN' } });
    await expect(handler.deliver({ id: message.id, storeId: store.storeId, payload: message.payload }, { prisma: db(), mailer })).resolves.toBeUndefined();
  });
});

describe('the console', () => {
  it("shows the history with who changed what, and each acquirer's acknowledged version", async () => {
    const store = await storeAtTwoAcquirers();
    await updateStoreProfile({ storeId: store.storeId, actor: store.actor, input: profile({ contactEmail: store.email, name: store.storeName, phone: '+81 3 1234 0000' }) });
    await changeAtAcquirer('ACQ-CARD', store.card.merchantNumber, { postalAddress: '2-2 Kyobashi' });
    await pullStoreInfo({ storeId: store.storeId, acquirerId: world.acquirerIds['ACQ-CARD']! });

    const history = await getStoreInfoHistory(store.storeId);

    // The card acquirer was at 1 when it changed the address, so its change is version 2 again: a conflict ServerPOS won as 3.
    expect(history).toMatchObject({
      currentVersion: 3,
      revisions: [
        { version: 3, source: { kind: 'serverpos' }, changedFields: [] },
        { version: 2, source: { kind: 'store_user', name: 'Test Owner' }, changedFields: ['phone'] },
        { version: 1, source: { kind: 'enrolment' }, changedFields: null },
      ],
    });
    expect(history?.acquirers).toEqual([
      expect.objectContaining({ acquirerName: 'Aozora Card Services', acknowledgedVersion: 0, upToDate: false }),
      expect.objectContaining({ acquirerName: 'Fuji JCB Acquiring', acknowledgedVersion: 0, upToDate: false }),
    ]);

    await deliverPending(store.storeId);
    await changeAtAcquirer('ACQ-JCB', store.jcb.merchantNumber, { websiteUrl: 'https://jcb.example' });
    await pullStoreInfo({ storeId: store.storeId });
    await deliverPending(store.storeId);
    const later = await getStoreInfoHistory(store.storeId);
    expect(later?.revisions[0]).toMatchObject({ version: 4, source: { kind: 'acquirer', name: 'Fuji JCB Acquiring' }, changedFields: ['websiteUrl'] });
    expect(later?.acquirers.map((acquirer) => [acquirer.acknowledgedVersion, acquirer.upToDate])).toEqual([[4, true], [4, true]]);
  });

  it('checks the acquirers on request at most once per interval, and only for the user’s own store', async () => {
    const store = await storeAtTwoAcquirers();
    await changeAtAcquirer('ACQ-JCB', store.jcb.merchantNumber, { phone: '+81 3 7777 0000' });
    const now = Date.now();

    expect((await checkAcquirersForChanges({ storeId: store.storeId, actor: store.actor, now })).map((result) => result.outcome)).toEqual(['unchanged', 'applied']);
    await expect(checkAcquirersForChanges({ storeId: store.storeId, actor: store.actor, now: now + 3_000 })).rejects.toMatchObject({ code: 'rate_limited', message: 'Your acquirers were checked a moment ago. Try again in 7 seconds.' });
    await expect(checkAcquirersForChanges({ storeId: store.storeId, actor: store.actor, now: now + 10_000 })).resolves.toHaveLength(2);

    const other = await storeAtTwoAcquirers();
    await changeAtAcquirer('ACQ-JCB', other.jcb.merchantNumber, { phone: '+81 3 8888 0000' });
    await expect(checkAcquirersForChanges({ storeId: other.storeId, actor: store.actor, now })).rejects.toMatchObject({ code: 'not_found' });
    expect(await storeInfo(other.storeId)).toMatchObject({ storeInfoVersion: 1, phone: null });
  });
});
