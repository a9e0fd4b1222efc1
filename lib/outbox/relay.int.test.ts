import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrismaClient, db, type Db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { enqueueEmail } from '@/lib/outbox/enqueue-email';
import { claimOutboxMessages, markAttemptFailed, markDelivered, REDISPATCH_AFTER_MS } from '@/lib/outbox/relay';
import { uniqueEmail } from '@/lib/testing/fixtures';

const email = { subject: 'Relay test', text: 'Hello.\n', html: '<p>Hello.</p>' };

/** Queues `count` e-mails in one transaction, as a domain change would. */
async function enqueue(count: number): Promise<string[]> {
  return db().$transaction(async (tx) => {
    const ids: string[] = [];
    for (let index = 0; index < count; index++) ids.push(await enqueueEmail(tx, { storeId: null, to: uniqueEmail('relay'), email }));
    return ids;
  });
}

/**
 * Claims until nothing is left, as the worker's relay loop does. Other tests'
 * messages may be claimed along the way; the assertions look only at ours.
 */
async function drain(prisma: Db, batchSize: number): Promise<string[]> {
  const claimed: string[] = [];
  for (let round = 0; round < 200; round++) {
    const batch = await claimOutboxMessages(prisma, batchSize);
    if (batch.length === 0) return claimed;
    claimed.push(...batch.map((message) => message.id));
  }
  throw new Error('claiming never ran out: messages just claimed are being claimed again');
}

const extraClients: Db[] = [];
afterAll(async () => {
  await Promise.all(extraClients.map((client) => client.$disconnect()));
});

describe('claimOutboxMessages', () => {
  it('claims PENDING messages once, marking them DISPATCHED', async () => {
    const ids = await enqueue(3);
    const before = Date.now();

    const first = await claimOutboxMessages(db(), 1000);
    const ours = first.filter((message) => ids.includes(message.id));
    expect(ours).toHaveLength(ids.length);
    expect(ours).toEqual(expect.arrayContaining(ids.map((id) => ({ id, kind: 'email' }))));
    const claimed = await drain(db(), 1000);
    expect(claimed.filter((id) => ids.includes(id))).toEqual([]);

    const rows = await db().outboxMessage.findMany({ where: { id: { in: ids } } });
    for (const row of rows) {
      expect(row.status).toBe('DISPATCHED');
      // dispatchedAt is compared with the application's clock when deciding what is stale.
      expect(Math.abs(row.dispatchedAt!.getTime() - before)).toBeLessThan(10_000);
    }
  });

  it('claims no more than the limit at a time, oldest first', async () => {
    await drain(db(), 500);
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push(...(await enqueue(1)));
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct createdAt
    }
    const byId = (messages: { id: string }[]) => messages.map((message) => message.id).sort();
    expect(byId(await claimOutboxMessages(db(), 2))).toEqual([ids[0], ids[1]].sort());
    expect(byId(await claimOutboxMessages(db(), 2))).toEqual([ids[2]]);
  });

  it('leaves DELIVERED and FAILED messages alone', async () => {
    const [delivered, failed] = await enqueue(2);
    await db().outboxMessage.update({ where: { id: delivered }, data: { status: 'DELIVERED', deliveredAt: new Date() } });
    await db().outboxMessage.update({ where: { id: failed }, data: { status: 'FAILED' } });
    const claimed = await drain(db(), 500);
    expect(claimed).not.toContain(delivered);
    expect(claimed).not.toContain(failed);
  });

  it('gives two concurrent claimers disjoint sets that together hold every message', async () => {
    const ids = await enqueue(60);
    const workers = [createPrismaClient(env().DATABASE_URL, 2), createPrismaClient(env().DATABASE_URL, 2)];
    extraClients.push(...workers);

    const [first, second] = await Promise.all(workers.map((client) => drain(client, 7)));

    const overlap = first!.filter((id) => second!.includes(id));
    expect(overlap).toEqual([]);
    const union = new Set([...first!, ...second!]);
    expect(ids.filter((id) => !union.has(id))).toEqual([]);
  });

  it(`claims again a DISPATCHED message left undelivered for more than REDISPATCH_AFTER_MS, and no sooner`, async () => {
    const [stale, recent] = await enqueue(2);
    const now = Date.now();
    await db().outboxMessage.update({ where: { id: stale }, data: { status: 'DISPATCHED', dispatchedAt: new Date(now - REDISPATCH_AFTER_MS - 60_000) } });
    await db().outboxMessage.update({ where: { id: recent }, data: { status: 'DISPATCHED', dispatchedAt: new Date(now - REDISPATCH_AFTER_MS + 60_000) } });

    const claimed = await drain(db(), 500);

    expect(claimed).toContain(stale);
    expect(claimed).not.toContain(recent);
    const row = await db().outboxMessage.findUniqueOrThrow({ where: { id: stale } });
    expect(row.status).toBe('DISPATCHED');
    expect(row.dispatchedAt!.getTime()).toBeGreaterThan(now - 10_000);
  });
});

describe('claimOutboxMessages in a database session that is not on UTC', () => {
  it("stamps dispatchedAt with the application's clock, so a message just claimed is not stale", async () => {
    // One connection, so the session setting holds for every statement of this client.
    const client = createPrismaClient(env().DATABASE_URL, 1);
    extraClients.push(client);
    await client.$executeRawUnsafe(`SET TIME ZONE 'America/New_York'`);
    try {
      const [id] = (await enqueue(1)) as [string];
      const before = Date.now();

      expect(await drain(client, 500)).toContain(id);

      const row = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
      expect(Math.abs(row.dispatchedAt!.getTime() - before)).toBeLessThan(10_000);
      expect(await claimOutboxMessages(client, 500)).toEqual([]);
    } finally {
      // PGlite is one session underneath: put the setting back for everyone.
      await client.$executeRawUnsafe('RESET TIME ZONE');
    }
  });
});

describe('markDelivered and markAttemptFailed', () => {
  it('count attempts, record the last error, and fail the message on the final attempt', async () => {
    const [id] = (await enqueue(1)) as [string];
    await markAttemptFailed(db(), id, `451 try later ${'x'.repeat(2000)}`, false);
    let row = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'PENDING', attempts: 1 });
    expect(row.lastError).toHaveLength(1000);
    expect(row.lastError).toMatch(/^451 try later/);

    await markAttemptFailed(db(), id, '550 no such mailbox', true);
    row = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'FAILED', attempts: 2, lastError: '550 no such mailbox' });
  });

  it('mark a delivery, clear the error, and never undo it', async () => {
    const [id] = (await enqueue(1)) as [string];
    await markAttemptFailed(db(), id, 'timeout', false);
    await markDelivered(db(), id);
    const delivered = await db().outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(delivered).toMatchObject({ status: 'DELIVERED', attempts: 2, lastError: null });
    expect(delivered.deliveredAt).toBeInstanceOf(Date);

    // A late report from a retry that raced the delivery changes nothing.
    await markAttemptFailed(db(), id, 'late failure', true);
    await markDelivered(db(), id);
    expect(await db().outboxMessage.findUniqueOrThrow({ where: { id } })).toEqual(delivered);
  });

  it('ignore an id that names no message', async () => {
    await expect(markDelivered(db(), randomUUID())).resolves.toBeUndefined();
    await expect(markAttemptFailed(db(), randomUUID(), 'x', true)).resolves.toBeUndefined();
  });
});
