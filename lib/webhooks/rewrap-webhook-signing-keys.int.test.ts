import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { masterKeys, parseMasterKeys, unwrapPrivateKey, wrapPrivateKey } from '@/lib/keys/vault';
import { webhookKeyVaultId } from '@/lib/webhooks/current-signing-key';
import { rewrapWebhookSigningKeys } from '@/lib/webhooks/rewrap-webhook-signing-keys';
import { webhookJwkOf } from '@/lib/webhooks/signature';

describe('re-wrapping the webhook signing keys under a new master key', () => {
  it('moves every key to the newest version, keeps each key the same, and is safe to run twice', async () => {
    const current = masterKeys();
    const entries = [...current.keys].map(([version, key]) => `${version}:${key.toString('base64url')}`);
    const rotated = parseMasterKeys(`${entries.join(',')},${current.current + 1}:${randomBytes(32).toString('base64url')}`);
    // A retired key of its own, so the key that signs for the other tests is left alone.
    const kid = `test-rewrap-${randomUUID().slice(0, 8)}`;
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
    await db().webhookSigningKey.create({
      data: { id: kid, algorithm: 'Ed25519', publicJwk: { ...webhookJwkOf(publicKey, kid) }, retiredAt: new Date(), ...wrapPrivateKey(pkcs8, webhookKeyVaultId(kid), current) },
    });

    const first = await rewrapWebhookSigningKeys(db(), { keys: rotated });
    expect(first.rewrapped).toBeGreaterThanOrEqual(1);
    const row = await db().webhookSigningKey.findUniqueOrThrow({ where: { id: kid } });
    expect(row.masterKeyVersion).toBe(current.current + 1);
    expect(Buffer.from(unwrapPrivateKey(row.encryptedPrivateKey, row.masterKeyVersion, webhookKeyVaultId(kid), rotated)).equals(pkcs8)).toBe(true);
    // The old master key no longer opens it: it can be removed.
    expect(() => unwrapPrivateKey(row.encryptedPrivateKey, current.current, webhookKeyVaultId(kid), current)).toThrow();
    expect(await rewrapWebhookSigningKeys(db(), { keys: rotated })).toMatchObject({ rewrapped: 0 });

    // Leave every key as the rest of the run expects it: back under the configured current master key.
    await rewrapWebhookSigningKeys(db(), { keys: { current: current.current, keys: rotated.keys } });
    expect(await db().webhookSigningKey.count({ where: { masterKeyVersion: { not: current.current } } })).toBe(0);
  });
});
