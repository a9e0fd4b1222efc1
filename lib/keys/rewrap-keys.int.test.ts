import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { rewrapKeys } from '@/lib/keys/rewrap-keys';
import { masterKeys, parseMasterKeys, unwrapPrivateKey, wrapPrivateKey } from '@/lib/keys/vault';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

/** Key pairs wrapped under `keys`, on a POS × acquirer of a fresh store. */
async function wrappedKeyPairs(count: number, keys = masterKeys()) {
  const store = await createStoreWithOwner();
  const acquirer = await db().acquirer.create({ data: { code: `ACQ-${randomUUID().slice(0, 8)}`, name: 'Rewrap Acquirer', brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set' } });
  const contract = await db().acquirerContract.create({ data: { storeId: store.storeId, acquirerId: acquirer.id, merchantNumber: `M-${randomUUID().slice(0, 8)}`, status: 'VERIFIED' } });
  const pos = await db().pos.create({ data: { storeId: store.storeId, name: 'Web shop' } });
  const link = await db().posAcquirer.create({ data: { storeId: store.storeId, posId: pos.id, acquirerId: acquirer.id, contractId: contract.id } });
  const secrets = new Map<string, Uint8Array>();
  for (let index = 0; index < count; index++) {
    const id = randomUUID();
    const pkcs8 = new Uint8Array(randomBytes(100));
    secrets.set(id, pkcs8);
    await db().keyPair.create({ data: { id, storeId: store.storeId, posAcquirerId: link.id, usage: 'SIGNATURE', algorithm: 'EC_P256', publicKeyPem: 'test', ...wrapPrivateKey(pkcs8, id, keys) } });
  }
  return { storeId: store.storeId, secrets };
}

/** The configured master keys plus a new, higher version. */
function withNewVersion() {
  const current = masterKeys();
  const entries = [...current.keys].map(([version, key]) => `${version}:${key.toString('base64url')}`);
  return { current, rotated: parseMasterKeys(`${entries.join(',')},${current.current + 1}:${randomBytes(32).toString('base64url')}`) };
}

describe('re-wrapping private keys under a new master key', () => {
  it('moves every live key to the newest version, keeps each key the same, and is safe to run twice', async () => {
    const { storeId, secrets } = await wrappedKeyPairs(5);
    const { current, rotated } = withNewVersion();

    const first = await rewrapKeys(db(), { keys: rotated, batchSize: 2, storeId });
    expect(first).toEqual({ rewrapped: 5, alreadyCurrent: 0, currentVersion: current.current + 1 });
    const rows = await db().keyPair.findMany({ where: { storeId } });
    for (const row of rows) {
      expect(row.masterKeyVersion).toBe(current.current + 1);
      expect(unwrapPrivateKey(row.encryptedPrivateKey!, row.masterKeyVersion, row.id, rotated)).toEqual(secrets.get(row.id));
      // The old master keys alone no longer open it: they can be retired.
      expect(() => unwrapPrivateKey(row.encryptedPrivateKey!, row.masterKeyVersion, row.id, current)).toThrow();
    }
    expect(await rewrapKeys(db(), { keys: rotated, storeId })).toEqual({ rewrapped: 0, alreadyCurrent: 5, currentVersion: current.current + 1 });
  });

  it('leaves destroyed keys alone', async () => {
    const { storeId, secrets } = await wrappedKeyPairs(2);
    const [destroyed, live] = [...secrets.keys()] as [string, string];
    await db().keyPair.update({ where: { id: destroyed }, data: { encryptedPrivateKey: null, destroyedAt: new Date() } });
    const { current, rotated } = withNewVersion();
    expect(await rewrapKeys(db(), { keys: rotated, storeId })).toMatchObject({ rewrapped: 1 });
    expect(await db().keyPair.findUniqueOrThrow({ where: { id: destroyed } })).toMatchObject({ encryptedPrivateKey: null, masterKeyVersion: current.current });
    expect(await db().keyPair.findUniqueOrThrow({ where: { id: live } })).toMatchObject({ masterKeyVersion: current.current + 1 });
  });
});
