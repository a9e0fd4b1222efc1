/**
 * The demo shop's seed on a database of its own (a fresh embedded PGlite), like the demo seed it follows:
 * it writes the demo's fixed addresses, which other tests must not see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/auth/tokens';
import { createPrismaClient, type Db } from '@/lib/db/client';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@/lib/db/embedded';
import { applyMigrations } from '@/lib/db/schema-engine';
import { parsePosApiKey } from '@/lib/pos/api-key';
import { seedDemo } from '@/lib/seed/seed-demo';
import { DEMO_SHOP_KEY_LABEL, seedDemoShop } from '@/lib/seed/seed-demo-shop';

let embedded: EmbeddedPostgres;
let prisma: Db;

beforeAll(async () => {
  embedded = await startEmbeddedPostgres({ dataDir: null });
  await applyMigrations(embedded.url);
  prisma = createPrismaClient(embedded.url, 2);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await embedded?.stop();
});

describe('seedDemoShop', () => {
  it('gives the shop a fresh key for Sakura Books’ web shop on every start, revoking the last one, and points the webhooks at the shop', async () => {
    await expect(seedDemoShop(prisma, { webhookUrl: 'http://127.0.0.1:7200/webhooks' })).rejects.toThrow(/run seedDemo first/);
    const logins = await seedDemo(prisma, { operator: 'demo-operator-password', stores: ['demo-store-password-1', 'demo-store-password-2'] });
    const sakura = logins.stores.find((store) => store.storeName === 'Sakura Books')!;

    const first = await seedDemoShop(prisma, { webhookUrl: 'http://127.0.0.1:7200/webhooks' });
    const second = await seedDemoShop(prisma, { webhookUrl: 'http://127.0.0.1:7200/webhooks' });

    expect(first.storeId).toBe(sakura.storeId);
    expect(second.posId).toBe(first.posId);
    expect(second.apiKey).not.toBe(first.apiKey);
    const keys = await prisma.posApiKey.findMany({ where: { posId: first.posId }, orderBy: { createdAt: 'asc' } });
    expect(keys.map((key) => [key.label, key.revokedAt === null ? 'live' : 'revoked'])).toEqual([
      [DEMO_SHOP_KEY_LABEL, 'revoked'],
      [DEMO_SHOP_KEY_LABEL, 'live'],
    ]);
    // The key handed to the shop is the live one, and the database holds only its hash.
    const live = parsePosApiKey(second.apiKey)!;
    expect(keys.find((key) => key.revokedAt === null)).toMatchObject({ prefix: live.prefix, secretHash: sha256Hex(live.secret) });
    expect(JSON.stringify(keys)).not.toContain(live.secret);

    expect(await prisma.pos.findUniqueOrThrow({ where: { id: first.posId } })).toMatchObject({ name: 'Web shop', webhookUrl: 'http://127.0.0.1:7200/webhooks' });
    const actions = await prisma.auditEvent.findMany({ where: { storeId: sakura.storeId, action: { startsWith: 'pos.' } }, select: { action: true, actorType: true } });
    // The second start changed the key only: the webhook URL was already right.
    expect(actions.map((event) => `${event.actorType} ${event.action}`).sort()).toEqual(['SYSTEM pos.api_key_created', 'SYSTEM pos.api_key_rotated', 'SYSTEM pos.webhook_url_set']);
  });
});
