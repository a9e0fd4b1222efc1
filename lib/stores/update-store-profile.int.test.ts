import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { getStoreProfile, updateStoreProfile } from '@/lib/stores/update-store-profile';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

const profile = {
  name: 'Tea House Ginza',
  contactEmail: 'Shop@Tea.Example',
  phone: '+81 3 1234 5678',
  postalAddress: '1-2-3 Ginza\r\nChuo-ku, Tokyo',
  websiteUrl: 'https://tea.example',
  certificateAlertDays: '45',
};

async function ownerActor() {
  const owner = await createStoreWithOwner();
  const actor: Actor = { type: 'STORE_USER', id: owner.userId };
  return { ...owner, actor };
}

/** Everything that must stay the same when an update is refused. */
async function snapshot(storeId: string) {
  return { store: await db().store.findUniqueOrThrow({ where: { id: storeId } }), audit: await db().auditEvent.count({ where: { storeId } }) };
}

describe('updateStoreProfile', () => {
  it('saves the profile, bumps storeInfoVersion and writes an audit event', async () => {
    const { storeId, userId, actor } = await ownerActor();

    expect(await updateStoreProfile({ storeId, actor, input: profile })).toEqual({ storeInfoVersion: 2, infoChanged: true });

    expect(await getStoreProfile(storeId)).toEqual({
      name: 'Tea House Ginza',
      contactEmail: 'shop@tea.example',
      phone: '+81 3 1234 5678',
      postalAddress: '1-2-3 Ginza\nChuo-ku, Tokyo',
      websiteUrl: 'https://tea.example',
      certificateAlertDays: 45,
      storeInfoVersion: 2,
      status: 'ACTIVE',
      // Not part of the profile form: the settlement e-mail switch keeps its own value.
      settlementEmails: true,
    });
    const audit = await db().auditEvent.findMany({ where: { storeId } });
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'store.profile_updated',
        actorType: 'STORE_USER',
        actorId: userId,
        targetType: 'Store',
        targetId: storeId,
        data: { storeInfoVersion: 2, fields: ['name', 'contactEmail', 'phone', 'postalAddress', 'websiteUrl', 'certificateAlertDays'] },
      }),
    ]);

    expect(await updateStoreProfile({ storeId, actor, input: { ...profile, phone: '' } })).toEqual({ storeInfoVersion: 3, infoChanged: true });
    expect(await getStoreProfile(storeId)).toMatchObject({ phone: null, storeInfoVersion: 3 });
    expect(await db().auditEvent.count({ where: { storeId, action: 'store.profile_updated' } })).toBe(2);
  });

  it("answers not_found for another store's id and changes neither store", async () => {
    const mine = await ownerActor();
    const theirs = await createStoreWithOwner();
    const before = { mine: await snapshot(mine.storeId), theirs: await snapshot(theirs.storeId) };

    await expect(updateStoreProfile({ storeId: theirs.storeId, actor: mine.actor, input: profile })).rejects.toMatchObject({ code: 'not_found', status: 404 });

    expect({ mine: await snapshot(mine.storeId), theirs: await snapshot(theirs.storeId) }).toEqual(before);
  });

  it('answers not_found for an id that names no store, or is not an id at all', async () => {
    const { actor } = await ownerActor();
    await expect(updateStoreProfile({ storeId: randomUUID(), actor, input: profile })).rejects.toMatchObject({ code: 'not_found' });
    await expect(updateStoreProfile({ storeId: 'not-a-store-id', actor, input: profile })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses to change a WITHDRAWN store', async () => {
    const { storeId, actor } = await ownerActor();
    await db().store.update({ where: { id: storeId }, data: { status: 'WITHDRAWN', withdrawnAt: new Date() } });
    const before = await snapshot(storeId);

    await expect(updateStoreProfile({ storeId, actor, input: profile })).rejects.toMatchObject({ code: 'invalid_state_transition', status: 409 });
    expect(await snapshot(storeId)).toEqual(before);
  });

  it('changes nothing for bad input, and names the wrong fields', async () => {
    const { storeId, actor } = await ownerActor();
    const before = await snapshot(storeId);

    await expect(
      updateStoreProfile({ storeId, actor, input: { ...profile, name: '', websiteUrl: 'ftp://tea.example', certificateAlertDays: '0' } }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [
        { path: 'name', message: 'Enter the store name.' },
        { path: 'websiteUrl', message: 'Enter an http:// or https:// address.' },
        { path: 'certificateAlertDays', message: 'Use 1 day or more.' },
      ],
    });
    expect(await snapshot(storeId)).toEqual(before);
  });

  it('answers not_found to an actor who is neither a store user nor the operator', async () => {
    const { storeId } = await ownerActor();
    const before = await snapshot(storeId);
    for (const actor of [{ type: 'ANONYMOUS', id: null }, { type: 'POS_API_KEY', id: randomUUID() }, { type: 'STORE_USER', id: null }] satisfies Actor[]) {
      await expect(updateStoreProfile({ storeId, actor, input: profile }), actor.type).rejects.toMatchObject({ code: 'not_found' });
    }
    expect(await snapshot(storeId)).toEqual(before);
  });

  it('refuses a save made over an older version than the store now has, and changes nothing', async () => {
    const { storeId, actor } = await ownerActor();
    await db().store.update({ where: { id: storeId }, data: { storeInfoVersion: 5, name: 'Renamed at the acquirer' } });
    const before = await snapshot(storeId);

    await expect(updateStoreProfile({ storeId, actor, input: profile, expectedVersion: 4 })).rejects.toMatchObject({
      code: 'conflict',
      message: 'Your store information changed while you were editing it (it is now version 5, perhaps from one of your acquirers). Check the details and save again.',
    });
    expect(await snapshot(storeId)).toEqual(before);

    expect(await updateStoreProfile({ storeId, actor, input: profile, expectedVersion: 5 })).toEqual({ storeInfoVersion: 6, infoChanged: true });
  });

  it('writes nothing for a save that changes nothing', async () => {
    const { storeId, actor } = await ownerActor();
    await updateStoreProfile({ storeId, actor, input: profile });
    const before = { ...(await snapshot(storeId)), revisions: await db().storeInfoRevision.count({ where: { storeId } }), outbox: await db().outboxMessage.count({ where: { storeId } }) };

    expect(await updateStoreProfile({ storeId, actor, input: profile })).toEqual({ storeInfoVersion: 2, infoChanged: false });

    expect({ ...(await snapshot(storeId)), revisions: await db().storeInfoRevision.count({ where: { storeId } }), outbox: await db().outboxMessage.count({ where: { storeId } }) }).toEqual(before);
  });

  it('lets an operator change any store', async () => {
    const { storeId } = await ownerActor();
    const operatorActor: Actor = { type: 'OPERATOR', id: randomUUID() };
    expect(await updateStoreProfile({ storeId, actor: operatorActor, input: profile })).toEqual({ storeInfoVersion: 2, infoChanged: true });
    expect(await db().auditEvent.findFirst({ where: { storeId, action: 'store.profile_updated' } })).toMatchObject({ actorType: 'OPERATOR', actorId: operatorActor.id });
  });

  it('keeps where the change came from on its audit event', async () => {
    const { storeId, actor } = await ownerActor();
    const origin = { ipAddress: '2001:db8::7', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) Safari/605.1.15' };
    await updateStoreProfile({ storeId, actor, input: profile, origin });
    expect(await db().auditEvent.findFirst({ where: { storeId, action: 'store.profile_updated' } })).toMatchObject(origin);
  });
});
