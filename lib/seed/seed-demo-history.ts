import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db/client';
import type { Prisma } from '@/lib/db/client';
import { formatMinorUnits, type Currency } from '@/lib/payments/currencies';
import { refreshDailyStats } from '@/lib/stats/refresh-daily-stats';

/**
 * Past payments for the demo stores, so the statistics pages have something to show on a fresh demo: about
 * 60 days of orders, approvals, declines with the issuers' usual reasons, captures, some refunds and voids,
 * across the stores' POSes, acquirers and brands (and a few US-dollar sales at Sakura Books). They are
 * records only: no simulated gateway ever saw them, so the acquirers' ledgers do not hold them.
 *
 * Marked as seeded history: order references start with `seed-`, XIDs with `seed:` (a colon never appears
 * in a real XID, which is base64url) and handling numbers with `H-SEED-` (real ones are hexadecimal), so
 * nothing collides with a real payment. Card data is the masked number only, as the gateways return it.
 * Written once: if the demo stores already have seeded orders, nothing is written. Deterministic (a fixed
 * pseudo-random sequence), so every fresh demo shows the same shapes, shifted to end today.
 */

export const SEED_ORDER_PREFIX = 'seed-';
export const DEMO_HISTORY_DAYS = 60;

const DAY_MS = 86_400_000;
const CHUNK = 500;

const catalog: Record<string, { name: string; unitAmount: number; currency: Currency }[]> = {
  'Sakura Books': [
    { name: 'Kokoro', unitAmount: 1_540, currency: 'JPY' },
    { name: 'Snow Country', unitAmount: 1_320, currency: 'JPY' },
    { name: 'The Tale of Genji (box set)', unitAmount: 9_800, currency: 'JPY' },
    { name: 'Bookmark', unitAmount: 300, currency: 'JPY' },
    { name: 'Kokoro (English edition)', unitAmount: 1_299, currency: 'USD' },
  ],
  'Kumo Coffee': [
    { name: 'Drip bag set', unitAmount: 1_200, currency: 'JPY' },
    { name: 'Single origin beans 200 g', unitAmount: 2_400, currency: 'JPY' },
    { name: 'Ceramic dripper', unitAmount: 3_800, currency: 'JPY' },
    { name: 'Latte', unitAmount: 550, currency: 'JPY' },
  ],
};

const maskedPans: Record<string, string | null> = { VISA: '411111******1111', MASTER: '555555******4444', JCB: '353011******0000', BANK: null };

const declines: Record<string, { code: string; en: string; ja: string; weight: number }[]> = {
  card: [
    { code: 'insufficient_funds', en: 'Insufficient funds.', ja: '残高が不足しています。', weight: 5 },
    { code: 'do_not_honor', en: 'The issuer declined the payment.', ja: 'カード発行会社により取引が承認されませんでした。', weight: 4 },
    { code: 'expired_card', en: 'The card has expired.', ja: 'カードの有効期限が切れています。', weight: 2 },
    { code: 'invalid_security_code', en: 'The security code is wrong.', ja: 'セキュリティコードが正しくありません。', weight: 2 },
    { code: 'lost_or_stolen_card', en: 'The card was reported lost or stolen.', ja: 'カードは紛失または盗難の届出があります。', weight: 1 },
  ],
  BANK: [
    { code: 'wrong_pin', en: 'The PIN is wrong.', ja: '暗証番号が正しくありません。', weight: 3 },
    { code: 'insufficient_funds', en: 'Insufficient funds.', ja: '残高が不足しています。', weight: 2 },
    { code: 'closed_account', en: 'The account is closed.', ja: '口座は解約されています。', weight: 1 },
  ],
};

/** mulberry32: a small deterministic generator, so the demo's history has the same shape every time. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    weighted: <T extends { weight: number }>(items: readonly T[]): T => {
      let roll = next() * items.reduce((sum, item) => sum + item.weight, 0);
      for (const item of items) if ((roll -= item.weight) < 0) return item;
      return items.at(-1)!;
    },
  };
}

const hex = () => randomBytes(16).toString('hex');

interface Route {
  posId: string;
  posAcquirerId: string;
  acquirerId: string;
  brands: string[];
}

export interface SeedDemoHistoryResult {
  /** False when the history was already there. */
  seeded: boolean;
  payments: number;
}

/** Seeds the demo stores' past payments (see above) and rebuilds the statistics over them. Run after seedDemo. */
export async function seedDemoHistory(prisma: Db, options: { now?: Date; days?: number } = {}): Promise<SeedDemoHistoryResult> {
  const now = options.now ?? new Date();
  const days = options.days ?? DEMO_HISTORY_DAYS;
  const stores = await prisma.store.findMany({
    where: { name: { in: Object.keys(catalog) }, users: { some: { email: { in: ['owner@sakura-books.test', 'owner@kumo-coffee.test'] } } } },
    select: { id: true, name: true },
  });
  if (stores.length === 0) return { seeded: false, payments: 0 };
  const links = await prisma.posAcquirer.findMany({
    where: { storeId: { in: stores.map((store) => store.id) } },
    orderBy: { id: 'asc' },
    select: { id: true, storeId: true, posId: true, acquirerId: true, acquirer: { select: { code: true, brands: true } } },
  });
  const firstDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (days - 1) * DAY_MS);

  const written = await prisma.$transaction(
    async (tx) => {
      // Two demo starts at once write the history once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended('serverpos:seed-demo-history', 0))`;
      if ((await tx.order.count({ where: { storeId: { in: stores.map((store) => store.id) }, shopOrderRef: { startsWith: SEED_ORDER_PREFIX } } })) > 0) return null;
      const orders: Prisma.OrderCreateManyInput[] = [];
      const payments: Prisma.PaymentCreateManyInput[] = [];
      const transactions: Prisma.PaymentTransactionCreateManyInput[] = [];
      for (const [storeIndex, store] of stores.sort((a, b) => a.name.localeCompare(b.name)).entries()) {
        const random = generator(20261125 + storeIndex);
        const routes: Route[] = links
          .filter((link) => link.storeId === store.id)
          .sort((a, b) => a.acquirer.code.localeCompare(b.acquirer.code) || a.posId.localeCompare(b.posId))
          .map((link) => ({ posId: link.posId, posAcquirerId: link.id, acquirerId: link.acquirerId, brands: link.acquirer.brands }));
        const products = catalog[store.name]!;
        if (routes.length === 0) continue;
        for (let dayIndex = 0; dayIndex < days; dayIndex++) {
          const dayStart = firstDay.getTime() + dayIndex * DAY_MS;
          // Busier at weekends, and a little busier as the demo store grows.
          const weekday = new Date(dayStart).getUTCDay();
          const count = random.int(4, 12) + (weekday === 0 || weekday === 6 ? 6 : 0) + Math.floor(dayIndex / 15);
          for (let index = 0; index < count; index++) {
            const createdAt = new Date(dayStart + random.int(0, DAY_MS - 600_000));
            if (createdAt.getTime() > now.getTime() - 120_000) continue;
            const route = random.pick(routes);
            const brand = random.pick(route.brands);
            const product = brand === 'BANK' ? products.find((item) => item.currency === 'JPY')! : random.pick(products);
            const quantity = random.int(1, 3);
            const amount = BigInt(product.unitAmount * quantity);
            const orderId = randomUUID();
            const paymentId = randomUUID();
            const ref = `${SEED_ORDER_PREFIX}${new Date(dayStart).toISOString().slice(0, 10).replaceAll('-', '')}-${store.name.slice(0, 1)}${String(index).padStart(3, '0')}`;
            const answeredAt = new Date(createdAt.getTime() + random.int(400, 2_500));
            const declined = random.next() < (brand === 'BANK' ? 0.15 : 0.1);
            const decline = declined ? random.weighted(declines[brand === 'BANK' ? 'BANK' : 'card']!) : null;

            let status: Prisma.PaymentCreateManyInput['status'] = declined ? 'DECLINED' : 'AUTHORIZED';
            let capturedAmount = 0n;
            let refundedAmount = 0n;
            transactions.push({ storeId: store.id, paymentId, type: 'AUTHORIZE', status: declined ? 'FAILED' : 'SUCCEEDED', amount, requestId: 'auth', responseCode: decline?.code ?? 'approved', latencyMs: answeredAt.getTime() - createdAt.getTime(), createdAt, completedAt: answeredAt });
            let updatedAt = answeredAt;
            if (!declined) {
              const fate = random.next();
              const later = (minHours: number, maxHours: number) => new Date(answeredAt.getTime() + random.int(minHours * 3_600_000, maxHours * 3_600_000));
              if (fate < 0.08) {
                const at = later(1, 20);
                if (at < now) {
                  status = 'VOIDED';
                  transactions.push({ storeId: store.id, paymentId, type: 'VOID', status: 'SUCCEEDED', amount, requestId: `void-${hex()}`, responseCode: 'approved', latencyMs: 300, createdAt: at, completedAt: at });
                  updatedAt = at;
                }
              } else if (fate < 0.85) {
                const at = later(1, 30);
                if (at < now) {
                  status = 'CAPTURED';
                  capturedAmount = amount;
                  transactions.push({ storeId: store.id, paymentId, type: 'CAPTURE', status: 'SUCCEEDED', amount, requestId: `capture-${hex()}`, responseCode: 'approved', latencyMs: 350, createdAt: at, completedAt: at });
                  updatedAt = at;
                  if (random.next() < 0.12) {
                    const refundAt = new Date(at.getTime() + random.int(3_600_000, 6 * DAY_MS));
                    const refund = random.next() < 0.5 ? amount : BigInt(product.unitAmount);
                    if (refundAt < now) {
                      refundedAmount = refund;
                      status = refund === amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
                      transactions.push({ storeId: store.id, paymentId, type: 'REFUND', status: 'SUCCEEDED', amount: refund, requestId: `refund-${hex()}`, responseCode: 'approved', latencyMs: 320, createdAt: refundAt, completedAt: refundAt });
                      updatedAt = refundAt;
                    }
                  }
                }
              }
            }
            orders.push({
              id: orderId,
              storeId: store.id,
              posId: route.posId,
              shopOrderRef: ref,
              amount,
              currency: product.currency,
              lineItems: [{ name: product.name, unitAmount: product.unitAmount, quantity }],
              description: `${quantity} × ${product.name} @ ${formatMinorUnits(product.unitAmount, product.currency)} ${product.currency}`,
              successUrl: 'http://127.0.0.1:7200/return/success',
              failureUrl: 'http://127.0.0.1:7200/return/failure',
              status: declined ? 'EXPIRED' : 'PAID',
              checkoutToken: `seed-${hex()}`,
              expiresAt: new Date(createdAt.getTime() + 3_600_000),
              createdAt,
              updatedAt: answeredAt,
            });
            payments.push({
              id: paymentId,
              storeId: store.id,
              posId: route.posId,
              orderId,
              acquirerId: route.acquirerId,
              posAcquirerId: route.posAcquirerId,
              xid: `seed:${hex()}`,
              brand,
              amount,
              currency: product.currency,
              status,
              capturedAmount,
              refundedAmount,
              maskedPan: maskedPans[brand] ?? null,
              ...(declined
                ? { declineCode: decline!.code, declineMessage: { en: decline!.en, ja: decline!.ja } }
                : { authCode: String(random.int(100_000, 999_999)), handlingNumber: `H-SEED-${hex().toUpperCase()}` }),
              createdAt,
              updatedAt,
            });
          }
        }
      }
      for (let start = 0; start < orders.length; start += CHUNK) await tx.order.createMany({ data: orders.slice(start, start + CHUNK) });
      for (let start = 0; start < payments.length; start += CHUNK) await tx.payment.createMany({ data: payments.slice(start, start + CHUNK) });
      for (let start = 0; start < transactions.length; start += CHUNK) await tx.paymentTransaction.createMany({ data: transactions.slice(start, start + CHUNK) });
      return payments.length;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  if (written === null) return { seeded: false, payments: 0 };
  // The rows carry past timestamps, which the watermark has passed: recompute those days.
  await refreshDailyStats({ prisma, rebuildFrom: firstDay, now });
  return { seeded: true, payments: written };
}
