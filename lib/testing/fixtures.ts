import { randomUUID } from 'node:crypto';
import { hashPassword } from '@/lib/auth/password';
import { db } from '@/lib/db/client';
import type { StoreStatus } from '@/lib/db/generated/prisma/enums';
import type { EmailPayload } from '@/lib/outbox/enqueue-email';

/**
 * Seeds for integration tests. Each call makes records of its own (unique
 * e-mail addresses and names), so tests never depend on each other's data or
 * on what an earlier run left in a reused PostgreSQL database.
 */

export const TEST_PASSWORD = 'correct horse battery staple';

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID()}@example.test`;
}

export function uniqueName(label: string): string {
  return `${label} ${randomUUID().slice(0, 8)}`;
}

/** A store with one owner, written straight to the database (no e-mail, no audit). */
export async function createStoreWithOwner(options: { status?: StoreStatus; verified?: boolean; password?: string } = {}) {
  const email = uniqueEmail('owner');
  const password = options.password ?? TEST_PASSWORD;
  const store = await db().store.create({
    data: { name: uniqueName('Store'), contactEmail: email, status: options.status ?? 'ACTIVE' },
    select: { id: true, name: true },
  });
  const user = await db().storeUser.create({
    data: {
      storeId: store.id,
      email,
      name: 'Test Owner',
      passwordHash: await hashPassword(password),
      emailVerifiedAt: options.verified === false ? null : new Date(),
    },
    select: { id: true },
  });
  return { storeId: store.id, storeName: store.name, userId: user.id, email, password };
}

export async function createOperator(options: { password?: string } = {}) {
  const email = uniqueEmail('operator');
  const password = options.password ?? TEST_PASSWORD;
  const operator = await db().operatorUser.create({
    data: { email, name: 'Test Operator', passwordHash: await hashPassword(password) },
    select: { id: true },
  });
  return { userId: operator.id, email, password };
}

/** Outbox e-mails addressed to one recipient, oldest first. */
export async function outboxEmailsTo(to: string) {
  const rows = await db().outboxMessage.findMany({
    where: { kind: 'email', payload: { path: ['to'], equals: to } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((row) => ({ ...row, email: row.payload as unknown as EmailPayload }));
}

/** Polls until `probe` returns something other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
