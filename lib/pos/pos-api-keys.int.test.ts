import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GET as getMe } from '@/app/api/v1/pos/me/route';
import type { Actor } from '@/lib/audit/record-audit-event';
import { sha256Hex } from '@/lib/auth/tokens';
import { db } from '@/lib/db/client';
import { parsePosApiKey } from '@/lib/pos/api-key';
import { authenticatePosApiKey, LAST_USED_RESOLUTION_MS } from '@/lib/pos/authenticate-pos-api-key';
import { createPos } from '@/lib/pos/create-pos';
import { createPosApiKey } from '@/lib/pos/create-pos-api-key';
import { revokePosApiKey } from '@/lib/pos/revoke-pos-api-key';
import { rotatePosApiKey } from '@/lib/pos/rotate-pos-api-key';
import { setPosStatus } from '@/lib/pos/set-pos-status';
import { listPoses } from '@/lib/stores/list-poses';
import { createStoreWithOwner } from '@/lib/testing/fixtures';

async function storeWithPos() {
  const owner = await createStoreWithOwner();
  const actor: Actor = { type: 'STORE_USER', id: owner.userId };
  const { posId } = await createPos({ storeId: owner.storeId, actor, input: { name: 'Web shop' } });
  return { ...owner, actor, posId };
}

const bearer = (apiKey: string) => `Bearer ${apiKey}`;
const refusal = { code: 'unauthenticated', status: 401, message: 'Send a valid POS API key as “Authorization: Bearer spk_…”.' };

async function callMe(authorization?: string) {
  const response = await getMe(new Request('http://localhost/api/v1/pos/me', { headers: authorization ? { authorization } : {} }), { params: Promise.resolve({}) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe('a POS API key', () => {
  it('is shown once at creation, kept only as the SHA-256 of its secret, audited by prefix, and works', async () => {
    const store = await storeWithPos();

    const created = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: '  Production shop ' } });

    expect(created.apiKey).toMatch(/^spk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.label).toBe('Production shop');
    const secret = parsePosApiKey(created.apiKey)!.secret;
    const row = await db().posApiKey.findUniqueOrThrow({ where: { id: created.apiKeyId } });
    expect(row).toMatchObject({ storeId: store.storeId, posId: store.posId, prefix: created.prefix, secretHash: sha256Hex(secret), label: 'Production shop', lastUsedAt: null, revokedAt: null });
    const audit = await db().auditEvent.findFirstOrThrow({ where: { storeId: store.storeId, action: 'pos.api_key_created' } });
    expect(audit).toMatchObject({ actorType: 'STORE_USER', actorId: store.userId, targetType: 'PosApiKey', targetId: created.apiKeyId, data: { posId: store.posId, prefix: created.prefix } });
    // The key is nowhere but in the answer: not in the row, the audit event or the console's list.
    const stored = JSON.stringify({ row, audit, list: await listPoses(store.storeId) });
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(created.apiKey);

    expect(await authenticatePosApiKey({ authorization: bearer(created.apiKey) })).toEqual({ storeId: store.storeId, posId: store.posId, apiKeyId: created.apiKeyId, actor: { type: 'POS_API_KEY', id: created.apiKeyId } });
    expect((await db().posApiKey.findUniqueOrThrow({ where: { id: created.apiKeyId } })).lastUsedAt).toBeInstanceOf(Date);
  });

  it('is refused, with one answer, when wrong, malformed, revoked, of a disabled POS or of a withdrawn store', async () => {
    const store = await storeWithPos();
    const { apiKey, apiKeyId, prefix } = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: 'Shop' } });
    const { secret } = parsePosApiKey(apiKey)!;
    const otherSecret = secret.startsWith('A') ? `B${secret.slice(1)}` : `A${secret.slice(1)}`;

    for (const authorization of [
      undefined,
      '',
      apiKey,
      `Basic ${apiKey}`,
      `Bearer spk_${prefix}_${otherSecret}`,
      `Bearer spk_${'x'.repeat(12)}_${secret}`,
      `Bearer ${apiKey}x`,
      `Bearer ${apiKey.toUpperCase()}`,
      `Bearer ${apiKey} ${apiKey}`,
    ]) {
      await expect(authenticatePosApiKey({ authorization }), String(authorization)).rejects.toMatchObject(refusal);
    }
    expect((await db().posApiKey.findUniqueOrThrow({ where: { id: apiKeyId } })).lastUsedAt).toBeNull();

    await setPosStatus({ storeId: store.storeId, actor: store.actor, posId: store.posId, status: 'DISABLED' });
    await expect(authenticatePosApiKey({ authorization: bearer(apiKey) })).rejects.toMatchObject(refusal);
    await setPosStatus({ storeId: store.storeId, actor: store.actor, posId: store.posId, status: 'ACTIVE' });
    await expect(authenticatePosApiKey({ authorization: bearer(apiKey) })).resolves.toMatchObject({ apiKeyId });

    await db().store.update({ where: { id: store.storeId }, data: { status: 'SUSPENDED' } });
    await expect(authenticatePosApiKey({ authorization: bearer(apiKey) })).resolves.toMatchObject({ apiKeyId });
    await db().store.update({ where: { id: store.storeId }, data: { status: 'WITHDRAWN', withdrawnAt: new Date() } });
    await expect(authenticatePosApiKey({ authorization: bearer(apiKey) })).rejects.toMatchObject(refusal);
  });

  it('stops working the moment it is revoked', async () => {
    const store = await storeWithPos();
    const { apiKey, apiKeyId, prefix } = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: 'Shop' } });
    await authenticatePosApiKey({ authorization: bearer(apiKey) });

    expect(await revokePosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, apiKeyId })).toEqual({ prefix });

    await expect(authenticatePosApiKey({ authorization: bearer(apiKey) })).rejects.toMatchObject(refusal);
    await expect(revokePosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, apiKeyId })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    await expect(rotatePosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, apiKeyId })).rejects.toMatchObject({ code: 'invalid_state_transition' });
    expect(await db().auditEvent.findMany({ where: { storeId: store.storeId, action: 'pos.api_key_revoked' } })).toMatchObject([{ targetId: apiKeyId, data: { posId: store.posId, prefix } }]);
  });

  it('is rotated: a new key shown once with the same label, the old one refused at once', async () => {
    const store = await storeWithPos();
    const old = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: 'Shop' } });

    const rotated = await rotatePosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, apiKeyId: old.apiKeyId });

    expect(rotated).toMatchObject({ label: 'Shop', replacedPrefix: old.prefix });
    expect(rotated.prefix).not.toBe(old.prefix);
    await expect(authenticatePosApiKey({ authorization: bearer(old.apiKey) })).rejects.toMatchObject(refusal);
    await expect(authenticatePosApiKey({ authorization: bearer(rotated.apiKey) })).resolves.toMatchObject({ apiKeyId: rotated.apiKeyId, posId: store.posId });
    const keys = (await listPoses(store.storeId))[0]!.apiKeys;
    expect(keys.map((key) => [key.prefix, key.revokedAt === null])).toEqual([[rotated.prefix, true], [old.prefix, false]]);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { storeId: store.storeId, action: 'pos.api_key_rotated' } });
    expect(audit.data).toEqual({ posId: store.posId, prefix: rotated.prefix, replacedPrefix: old.prefix });
    expect(JSON.stringify(audit)).not.toContain(parsePosApiKey(rotated.apiKey)!.secret);
  });

  it('records its last use at most once a minute', async () => {
    const store = await storeWithPos();
    const { apiKey, apiKeyId } = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: 'Shop' } });
    const lastUsed = async () => (await db().posApiKey.findUniqueOrThrow({ where: { id: apiKeyId } })).lastUsedAt;
    const start = new Date('2030-01-01T00:00:00Z');

    await authenticatePosApiKey({ authorization: bearer(apiKey), now: start });
    await authenticatePosApiKey({ authorization: bearer(apiKey), now: new Date(start.getTime() + LAST_USED_RESOLUTION_MS - 1) });
    expect(await lastUsed()).toEqual(start);
    const later = new Date(start.getTime() + LAST_USED_RESOLUTION_MS + 1);
    await authenticatePosApiKey({ authorization: bearer(apiKey), now: later });
    expect(await lastUsed()).toEqual(later);
  });
});

describe('GET /api/v1/pos/me', () => {
  async function linkAcquirer(store: Awaited<ReturnType<typeof storeWithPos>>, name: string, status: 'PENDING' | 'REGISTERED') {
    const acquirer = await db().acquirer.create({ data: { code: `ACQ-${randomUUID().slice(0, 8)}`, name, brands: ['VISA', 'MASTER'], gatewayUrl: 'http://127.0.0.1:9/set' } });
    const contract = await db().acquirerContract.create({ data: { storeId: store.storeId, acquirerId: acquirer.id, merchantNumber: `M-${randomUUID().slice(0, 8)}`, status: 'VERIFIED' } });
    await db().posAcquirer.create({ data: { storeId: store.storeId, posId: store.posId, acquirerId: acquirer.id, contractId: contract.id, status } });
    return acquirer;
  }

  it('answers the POS, its store and acquirers; canAuthorize only for an active store with a registered acquirer', async () => {
    const store = await storeWithPos();
    const { apiKey } = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: 'Shop' } });
    const card = await linkAcquirer(store, 'Aaa Card', 'REGISTERED');
    const bank = await linkAcquirer(store, 'Bbb Bank', 'PENDING');

    const me = await callMe(bearer(apiKey));

    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    expect(me.body).toEqual({
      pos: { id: store.posId, name: 'Web shop', status: 'ACTIVE' },
      store: { id: store.storeId, name: store.storeName, status: 'ACTIVE' },
      acquirers: [
        { code: card.code, name: 'Aaa Card', brands: ['VISA', 'MASTER'], registered: true },
        { code: bank.code, name: 'Bbb Bank', brands: ['VISA', 'MASTER'], registered: false },
      ],
      canAuthorize: true,
    });

    await db().store.update({ where: { id: store.storeId }, data: { status: 'SUSPENDED' } });
    expect((await callMe(bearer(apiKey))).body).toMatchObject({ store: { status: 'SUSPENDED' }, canAuthorize: false });
    await db().store.update({ where: { id: store.storeId }, data: { status: 'PENDING' } });
    expect((await callMe(bearer(apiKey))).body).toMatchObject({ canAuthorize: false });
  });

  it('is false for canAuthorize while no acquirer is registered', async () => {
    const store = await storeWithPos();
    const { apiKey } = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: 'Shop' } });
    await linkAcquirer(store, 'Pending Card', 'PENDING');
    expect((await callMe(bearer(apiKey))).body).toMatchObject({ store: { status: 'ACTIVE' }, canAuthorize: false });
  });

  it('answers 401 with a Bearer challenge and the JSON error shape, without a valid key', async () => {
    const store = await storeWithPos();
    const { apiKey, apiKeyId } = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, input: { label: 'Shop' } });
    await revokePosApiKey({ storeId: store.storeId, actor: store.actor, posId: store.posId, apiKeyId });

    for (const authorization of [undefined, 'Bearer nonsense', bearer(apiKey)]) {
      const me = await callMe(authorization);
      expect(me.status).toBe(401);
      expect(me.headers.get('www-authenticate')).toBe('Bearer realm="ServerPOS POS API"');
      expect(me.body).toEqual({ error: { code: 'unauthenticated', message: refusal.message } });
    }
  });
});
