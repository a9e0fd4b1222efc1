import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { addPosAcquirer } from '@/lib/pos/add-pos-acquirer';
import { createPos } from '@/lib/pos/create-pos';
import { createPosApiKey } from '@/lib/pos/create-pos-api-key';
import { removePosAcquirer } from '@/lib/pos/remove-pos-acquirer';
import { renamePos } from '@/lib/pos/rename-pos';
import { revokePosApiKey } from '@/lib/pos/revoke-pos-api-key';
import { rotatePosApiKey } from '@/lib/pos/rotate-pos-api-key';
import { setPosStatus } from '@/lib/pos/set-pos-status';
import { listPoses } from '@/lib/stores/list-poses';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

async function newAcquirer(name: string) {
  return db().acquirer.create({ data: { code: `ACQ-${randomUUID().slice(0, 8)}`, name, brands: ['VISA', 'MASTER'], gatewayUrl: 'http://127.0.0.1:9/set', registryUrl: 'http://127.0.0.1:9/registry' } });
}

/** A store with an owner, a verified contract at one acquirer and an applied one at another. */
async function storeWithContracts() {
  const owner = await createStoreWithOwner();
  const actor: Actor = { type: 'STORE_USER', id: owner.userId };
  const card = await newAcquirer('Card Acquiring');
  const bank = await newAcquirer('Bank Acquiring');
  const verified = await db().acquirerContract.create({ data: { storeId: owner.storeId, acquirerId: card.id, merchantNumber: `M-${randomUUID().slice(0, 8)}`, status: 'VERIFIED', verifiedAt: new Date() } });
  const applied = await db().acquirerContract.create({ data: { storeId: owner.storeId, acquirerId: bank.id, merchantNumber: `B-${randomUUID().slice(0, 8)}`, status: 'APPLIED' } });
  return { ...owner, actor, card, bank, verified, applied };
}

/** An ACTIVE certificate (with its key pair) on a POS × acquirer link, as certificate issuance leaves it. */
async function activeCertificate(storeId: string, posAcquirerId: string) {
  const keyPair = await db().keyPair.create({ data: { storeId, posAcquirerId, usage: 'SIGNATURE', algorithm: 'EC_P256', publicKeyPem: 'test', masterKeyVersion: 1 } });
  return db().certificate.create({
    data: { storeId, posAcquirerId, keyPairId: keyPair.id, usage: 'SIGNATURE', serialNumber: randomUUID(), issuerDn: 'CN=Test CA', subjectDn: 'CN=Test POS', notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), status: 'ACTIVE', pem: 'test' },
  });
}

/** Everything a refused change must leave as it was. */
async function snapshot(storeId: string) {
  const [poses, links, keys, audit] = await Promise.all([
    db().pos.findMany({ where: { storeId }, orderBy: { id: 'asc' } }),
    db().posAcquirer.findMany({ where: { storeId }, orderBy: { id: 'asc' } }),
    db().posApiKey.findMany({ where: { storeId }, orderBy: { id: 'asc' } }),
    db().auditEvent.count({ where: { storeId } }),
  ]);
  return { poses, links, keys, audit };
}

describe('POSes', () => {
  it('are created with a name unique in the store (whatever its case), renamed, disabled and enabled, each audited', async () => {
    const store = await storeWithContracts();

    const web = await createPos({ storeId: store.storeId, actor: store.actor, input: { name: 'Web shop' } });
    const phone = await createPos({ storeId: store.storeId, actor: store.actor, input: { name: '  Phone orders ' } });
    expect(phone.name).toBe('Phone orders');

    const duplicate = createPos({ storeId: store.storeId, actor: store.actor, input: { name: 'web SHOP' } });
    await expect(duplicate).rejects.toMatchObject({ code: 'conflict', status: 409, fields: [{ path: 'name', message: 'Your store already has a POS called “Web shop”. Choose another name.' }] });
    await expect(renamePos({ storeId: store.storeId, actor: store.actor, posId: phone.posId, input: { name: 'WEB SHOP' } })).rejects.toMatchObject({ code: 'conflict' });
    await expect(createPos({ storeId: store.storeId, actor: store.actor, input: { name: '' } })).rejects.toMatchObject({ code: 'validation_failed', fields: [{ path: 'name', message: 'Enter a name for the POS.' }] });

    expect(await renamePos({ storeId: store.storeId, actor: store.actor, posId: phone.posId, input: { name: 'Telephone' } })).toEqual({ name: 'Telephone', changed: true });
    expect(await renamePos({ storeId: store.storeId, actor: store.actor, posId: web.posId, input: { name: 'Web shop' } })).toEqual({ name: 'Web shop', changed: false });
    expect(await setPosStatus({ storeId: store.storeId, actor: store.actor, posId: web.posId, status: 'DISABLED' })).toEqual({ status: 'DISABLED' });
    await expect(setPosStatus({ storeId: store.storeId, actor: store.actor, posId: web.posId, status: 'DISABLED' })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect(await setPosStatus({ storeId: store.storeId, actor: store.actor, posId: web.posId, status: 'ACTIVE' })).toEqual({ status: 'ACTIVE' });

    expect((await listPoses(store.storeId)).map((pos) => [pos.name, pos.status])).toEqual([['Web shop', 'ACTIVE'], ['Telephone', 'ACTIVE']]);
    const audit = await db().auditEvent.findMany({ where: { storeId: store.storeId }, orderBy: { createdAt: 'asc' } });
    expect(audit.map((event) => [event.action, event.actorType, event.actorId, event.targetId])).toEqual([
      ['pos.created', 'STORE_USER', store.userId, web.posId],
      ['pos.created', 'STORE_USER', store.userId, phone.posId],
      ['pos.renamed', 'STORE_USER', store.userId, phone.posId],
      ['pos.disabled', 'STORE_USER', store.userId, web.posId],
      ['pos.enabled', 'STORE_USER', store.userId, web.posId],
    ]);
    expect(audit[2]?.data).toEqual({ fromName: 'Phone orders', toName: 'Telephone' });
    expect(audit[0]?.data).toEqual({ posName: 'Web shop' });
  });

  it('use any of the store’s verified contracts, PENDING until registered, and not an unverified one or one twice', async () => {
    const store = await storeWithContracts();
    const { posId } = await createPos({ storeId: store.storeId, actor: store.actor, input: { name: 'Web shop' } });

    const added = await addPosAcquirer({ storeId: store.storeId, actor: store.actor, posId, contractId: store.verified.id });
    expect(added.acquirerName).toBe('Card Acquiring');
    expect(await db().posAcquirer.findUniqueOrThrow({ where: { id: added.posAcquirerId } })).toMatchObject({ storeId: store.storeId, posId, acquirerId: store.card.id, contractId: store.verified.id, status: 'PENDING' });
    await expect(addPosAcquirer({ storeId: store.storeId, actor: store.actor, posId, contractId: store.verified.id })).rejects.toMatchObject({ code: 'conflict', message: '“Web shop” already uses Card Acquiring.' });
    await expect(addPosAcquirer({ storeId: store.storeId, actor: store.actor, posId, contractId: store.applied.id })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect(await db().auditEvent.findFirst({ where: { storeId: store.storeId, action: 'pos.acquirer_added' } })).toMatchObject({ targetId: added.posAcquirerId, data: { posId, acquirerCode: store.card.code } });
  });

  it('stop using an acquirer only once its active certificates are deleted; a link with history is kept as WITHDRAWN and can come back', async () => {
    const store = await storeWithContracts();
    const { posId } = await createPos({ storeId: store.storeId, actor: store.actor, input: { name: 'Web shop' } });
    const { posAcquirerId } = await addPosAcquirer({ storeId: store.storeId, actor: store.actor, posId, contractId: store.verified.id });
    const certificate = await activeCertificate(store.storeId, posAcquirerId);
    await db().posAcquirer.update({ where: { id: posAcquirerId }, data: { status: 'REGISTERED' } });
    const before = await snapshot(store.storeId);

    await expect(removePosAcquirer({ storeId: store.storeId, actor: store.actor, posId, posAcquirerId })).rejects.toMatchObject({
      code: 'invalid_state_transition',
      message: '“Web shop” still has active certificates for Card Acquiring. Delete them on the certificates page first, so they are revoked and their keys destroyed; then remove the acquirer.',
    });
    expect(await snapshot(store.storeId)).toEqual(before);

    await db().certificate.update({ where: { id: certificate.id }, data: { status: 'DELETED' } });
    expect(await removePosAcquirer({ storeId: store.storeId, actor: store.actor, posId, posAcquirerId })).toEqual({ acquirerName: 'Card Acquiring' });
    expect(await db().posAcquirer.findUniqueOrThrow({ where: { id: posAcquirerId } })).toMatchObject({ status: 'WITHDRAWN' });
    expect((await listPoses(store.storeId))[0]?.acquirers).toEqual([]);
    await expect(removePosAcquirer({ storeId: store.storeId, actor: store.actor, posId, posAcquirerId })).rejects.toMatchObject({ code: 'not_found' });

    expect((await addPosAcquirer({ storeId: store.storeId, actor: store.actor, posId, contractId: store.verified.id })).posAcquirerId).toBe(posAcquirerId);
    expect(await db().posAcquirer.findUniqueOrThrow({ where: { id: posAcquirerId } })).toMatchObject({ status: 'PENDING' });
  });

  it('deletes a link that never had keys or certificates, and refuses while a certificate request is in flight', async () => {
    const store = await storeWithContracts();
    const { posId } = await createPos({ storeId: store.storeId, actor: store.actor, input: { name: 'Web shop' } });
    const { posAcquirerId } = await addPosAcquirer({ storeId: store.storeId, actor: store.actor, posId, contractId: store.verified.id });
    await db().posAcquirer.update({ where: { id: posAcquirerId }, data: { busySince: new Date() } });
    await expect(removePosAcquirer({ storeId: store.storeId, actor: store.actor, posId, posAcquirerId })).rejects.toMatchObject({ code: 'conflict' });
    await db().posAcquirer.update({ where: { id: posAcquirerId }, data: { busySince: null } });

    await removePosAcquirer({ storeId: store.storeId, actor: store.actor, posId, posAcquirerId });

    expect(await db().posAcquirer.findUnique({ where: { id: posAcquirerId } })).toBeNull();
    expect(await db().auditEvent.findFirst({ where: { storeId: store.storeId, action: 'pos.acquirer_removed' } })).toMatchObject({ targetId: posAcquirerId, data: { posId, acquirerCode: store.card.code } });
  });

  it('cannot be created in or changed for a withdrawn store', async () => {
    const store = await storeWithContracts();
    const { posId } = await createPos({ storeId: store.storeId, actor: store.actor, input: { name: 'Web shop' } });
    await db().store.update({ where: { id: store.storeId }, data: { status: 'WITHDRAWN', withdrawnAt: new Date() } });
    const before = await snapshot(store.storeId);
    await expect(createPos({ storeId: store.storeId, actor: store.actor, input: { name: 'Another' } })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    await expect(createPosApiKey({ storeId: store.storeId, actor: store.actor, posId, input: { label: 'Shop' } })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect(await snapshot(store.storeId)).toEqual(before);
  });
});

describe("another store's POS", () => {
  it('is not_found for every console change, and nothing changes in either store', async () => {
    const mine = await storeWithContracts();
    const theirs = await storeWithContracts();
    const theirPos = await createPos({ storeId: theirs.storeId, actor: theirs.actor, input: { name: 'Their shop' } });
    const theirLink = await addPosAcquirer({ storeId: theirs.storeId, actor: theirs.actor, posId: theirPos.posId, contractId: theirs.verified.id });
    const theirKey = await createPosApiKey({ storeId: theirs.storeId, actor: theirs.actor, posId: theirPos.posId, input: { label: 'Their key' } });
    const myPos = await createPos({ storeId: mine.storeId, actor: mine.actor, input: { name: 'My shop' } });
    const before = { mine: await snapshot(mine.storeId), theirs: await snapshot(theirs.storeId) };

    const attempts: [string, () => Promise<unknown>][] = [
      // Their POS id under my store id (the console URL's tenant is mine)…
      ['rename', () => renamePos({ storeId: mine.storeId, actor: mine.actor, posId: theirPos.posId, input: { name: 'Mine now' } })],
      ['disable', () => setPosStatus({ storeId: mine.storeId, actor: mine.actor, posId: theirPos.posId, status: 'DISABLED' })],
      ['add acquirer', () => addPosAcquirer({ storeId: mine.storeId, actor: mine.actor, posId: theirPos.posId, contractId: mine.verified.id })],
      ['remove acquirer', () => removePosAcquirer({ storeId: mine.storeId, actor: mine.actor, posId: theirPos.posId, posAcquirerId: theirLink.posAcquirerId })],
      ['create key', () => createPosApiKey({ storeId: mine.storeId, actor: mine.actor, posId: theirPos.posId, input: { label: 'Stolen' } })],
      ['revoke key', () => revokePosApiKey({ storeId: mine.storeId, actor: mine.actor, posId: theirPos.posId, apiKeyId: theirKey.apiKeyId })],
      ['rotate key', () => rotatePosApiKey({ storeId: mine.storeId, actor: mine.actor, posId: theirPos.posId, apiKeyId: theirKey.apiKeyId })],
      // …their records under my own POS…
      ['their contract on my POS', () => addPosAcquirer({ storeId: mine.storeId, actor: mine.actor, posId: myPos.posId, contractId: theirs.verified.id })],
      ['their link on my POS', () => removePosAcquirer({ storeId: mine.storeId, actor: mine.actor, posId: myPos.posId, posAcquirerId: theirLink.posAcquirerId })],
      ['their key on my POS', () => revokePosApiKey({ storeId: mine.storeId, actor: mine.actor, posId: myPos.posId, apiKeyId: theirKey.apiKeyId })],
      // …and their store id with my session.
      ['their store', () => createPos({ storeId: theirs.storeId, actor: mine.actor, input: { name: 'Intruder' } })],
      ['their store, their POS', () => renamePos({ storeId: theirs.storeId, actor: mine.actor, posId: theirPos.posId, input: { name: 'Intruder' } })],
      ['not an id', () => renamePos({ storeId: mine.storeId, actor: mine.actor, posId: 'not-a-uuid', input: { name: 'x' } })],
    ];
    for (const [name, attempt] of attempts) await expect(attempt(), name).rejects.toMatchObject({ code: 'not_found', status: 404 });

    expect({ mine: await snapshot(mine.storeId), theirs: await snapshot(theirs.storeId) }).toEqual(before);
  });
});
