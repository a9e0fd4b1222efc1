import { recordAuditEvent, systemActor } from '@/lib/audit/record-audit-event';
import type { Db } from '@/lib/db/client';
import { generatePosApiKey } from '@/lib/pos/api-key';

/** The demo store the sample shop sells for, and its POS. */
export const DEMO_SHOP_OWNER_EMAIL = 'owner@sakura-books.test';
export const DEMO_SHOP_POS_NAME = 'Web shop';
/** The label of the API key the demo makes for the sample shop; the console shows it on the POS page. */
export const DEMO_SHOP_KEY_LABEL = 'Sample shop (demo)';

export interface DemoShop {
  storeId: string;
  posId: string;
  /** The key in clear, for the shop process only: never print or log it. */
  apiKey: string;
}

/**
 * Connects the sample shop to the demo store (run after seedDemo, on every start): a fresh POS API key for
 * its "Web shop" POS, replacing the one the previous start made (keys are stored as hashes, so the clear
 * key cannot be read back, only made anew), and the POS's webhook URL pointing at the shop. One
 * transaction, audited like the same changes in the console.
 */
export async function seedDemoShop(prisma: Db, options: { webhookUrl: string }): Promise<DemoShop> {
  const owner = await prisma.storeUser.findUnique({ where: { email: DEMO_SHOP_OWNER_EMAIL }, select: { storeId: true } });
  if (!owner) throw new Error(`the demo store of ${DEMO_SHOP_OWNER_EMAIL} is missing: run seedDemo first`);
  return prisma.$transaction(async (tx) => {
    const pos = await tx.pos.findUniqueOrThrow({ where: { storeId_name: { storeId: owner.storeId, name: DEMO_SHOP_POS_NAME } }, select: { id: true, name: true, webhookUrl: true } });
    const now = new Date();
    const previous = await tx.posApiKey.findMany({ where: { storeId: owner.storeId, posId: pos.id, label: DEMO_SHOP_KEY_LABEL, revokedAt: null }, select: { id: true, prefix: true } });
    await tx.posApiKey.updateMany({ where: { id: { in: previous.map((key) => key.id) } }, data: { revokedAt: now } });
    const key = generatePosApiKey();
    const row = await tx.posApiKey.create({ data: { storeId: owner.storeId, posId: pos.id, prefix: key.prefix, secretHash: key.secretHash, label: DEMO_SHOP_KEY_LABEL }, select: { id: true } });
    await recordAuditEvent(tx, {
      actor: systemActor,
      action: previous.length > 0 ? 'pos.api_key_rotated' : 'pos.api_key_created',
      storeId: owner.storeId,
      targetType: 'PosApiKey',
      targetId: row.id,
      data: { posId: pos.id, prefix: key.prefix, ...(previous.length > 0 ? { replacedPrefix: previous.map((old) => old.prefix).join(', ') } : {}) },
    });
    if (pos.webhookUrl !== options.webhookUrl) {
      await tx.pos.update({ where: { id: pos.id }, data: { webhookUrl: options.webhookUrl } });
      await recordAuditEvent(tx, {
        actor: systemActor,
        action: 'pos.webhook_url_set',
        storeId: owner.storeId,
        targetType: 'Pos',
        targetId: pos.id,
        data: { posName: pos.name, webhookOrigin: new URL(options.webhookUrl).origin },
      });
    }
    return { storeId: owner.storeId, posId: pos.id, apiKey: key.apiKey };
  });
}
