import { randomUUID } from 'node:crypto';
import type { Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { PaymentStatus } from '@/lib/db/generated/prisma/enums';
import { createPos } from '@/lib/pos/create-pos';
import { createPosApiKey } from '@/lib/pos/create-pos-api-key';
import { createStoreWithOwner, uniqueName } from '@/lib/testing/fixtures';

/**
 * Seeds for POS API tests: an active store whose POS has an API key and (unless told otherwise) a
 * REGISTERED link to an acquirer under a verified contract, so it may take orders. Rows are written
 * straight to the database, apart from the POS and key, which go through the console's own functions.
 */
export async function posApiClient(options: { registered?: boolean } = {}) {
  const owner = await createStoreWithOwner();
  const actor: Actor = { type: 'STORE_USER', id: owner.userId };
  const { posId } = await createPos({ storeId: owner.storeId, actor, input: { name: 'Web shop' } });
  const { apiKey } = await createPosApiKey({ storeId: owner.storeId, actor, posId, input: { label: 'Shop server' } });
  await linkAcquirer({ storeId: owner.storeId, posId, status: options.registered === false ? 'PENDING' : 'REGISTERED' });
  return { ...owner, actor, posId, apiKey, authorization: `Bearer ${apiKey}` };
}

/** A second POS of the same store, with its own key and a registered acquirer. */
export async function anotherPosOf(store: { storeId: string; actor: Actor }) {
  const { posId } = await createPos({ storeId: store.storeId, actor: store.actor, input: { name: uniqueName('Till') } });
  const { apiKey } = await createPosApiKey({ storeId: store.storeId, actor: store.actor, posId, input: { label: 'Till' } });
  await linkAcquirer({ storeId: store.storeId, posId, status: 'REGISTERED' });
  return { storeId: store.storeId, posId, apiKey, authorization: `Bearer ${apiKey}` };
}

export async function linkAcquirer(options: { storeId: string; posId: string; status: 'PENDING' | 'REGISTERED' }) {
  const acquirer = await db().acquirer.create({ data: { code: `ACQ-${randomUUID().slice(0, 8)}`, name: uniqueName('Acquirer'), brands: ['VISA', 'MASTER'], gatewayUrl: 'http://127.0.0.1:9/set' } });
  const contract = await db().acquirerContract.create({ data: { storeId: options.storeId, acquirerId: acquirer.id, merchantNumber: `M-${randomUUID().slice(0, 8)}`, status: 'VERIFIED' } });
  await db().posAcquirer.create({ data: { storeId: options.storeId, posId: options.posId, acquirerId: acquirer.id, contractId: contract.id, status: options.status } });
  return { acquirerId: acquirer.id, contractId: contract.id };
}

/** A valid order body; `overrides` replace top-level fields. */
export function orderBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    shopOrderRef: `ORD-${randomUUID()}`.slice(0, 40),
    currency: 'JPY',
    lineItems: [
      { name: 'Green tea', unitAmount: 640, quantity: 2 },
      { name: 'Rice cracker', unitAmount: 300, quantity: 3 },
    ],
    successUrl: 'https://shop.example/thanks',
    failureUrl: 'https://shop.example/cart',
    ...overrides,
  };
}

/** A payment row for an order, as the checkout would leave it (only the columns the API shows are set). */
export async function seedPayment(options: {
  storeId: string;
  posId: string;
  orderId: string;
  status?: PaymentStatus;
  amount?: number;
  currency?: string;
  createdAt?: Date;
  declineCode?: string;
  declineMessage?: { en: string; ja: string };
}) {
  return db().payment.create({
    data: {
      storeId: options.storeId,
      posId: options.posId,
      orderId: options.orderId,
      xid: randomUUID().replaceAll('-', ''),
      brand: 'VISA',
      amount: BigInt(options.amount ?? 1580),
      currency: options.currency ?? 'JPY',
      status: options.status ?? 'AUTHORIZED',
      maskedPan: '411111******1111',
      authCode: options.status === 'DECLINED' ? null : 'A1B2C3',
      declineCode: options.declineCode ?? null,
      ...(options.declineMessage ? { declineMessage: options.declineMessage } : {}),
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    },
    select: { id: true, createdAt: true },
  });
}

/** An order row written straight to the database, for tests that need one without the API. */
export async function seedOrder(options: { storeId: string; posId: string; shopOrderRef?: string; expiresAt?: Date }) {
  return db().order.create({
    data: {
      storeId: options.storeId,
      posId: options.posId,
      shopOrderRef: options.shopOrderRef ?? `SEED-${randomUUID()}`.slice(0, 40),
      amount: 1580n,
      currency: 'JPY',
      lineItems: [{ name: 'Green tea', unitAmount: 790, quantity: 2 }],
      description: '2 × Green tea @ 790 JPY',
      successUrl: 'https://shop.example/thanks',
      failureUrl: 'https://shop.example/cart',
      checkoutToken: randomUUID(),
      expiresAt: options.expiresAt ?? new Date(Date.now() + 3_600_000),
    },
    select: { id: true, shopOrderRef: true },
  });
}
