import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db, dbPool } from '@/lib/db/client';
import { sql, sqlOf, sqlOnPool, sqlTransaction } from '@/lib/db/sql';

/** A store row is the simplest record with a timestamp, an enum and a JSON-free shape; each test makes its own. */
async function newStore(name: string) {
  return db().store.create({ data: { name, contactEmail: 'sql@example.test', status: 'ACTIVE' }, select: { id: true, createdAt: true, updatedAt: true } });
}

describe('plain SQL on the pool (lib/db/sql.ts)', () => {
  const originalTz = process.env.TZ;
  beforeAll(() => {
    // The driver reads a timestamp without time zone as local time; away from UTC a wrong parser shows at once.
    process.env.TZ = 'Asia/Tokyo';
  });
  afterAll(() => {
    process.env.TZ = originalTz;
  });

  it('writes and reads timestamps as UTC and int8 as bigint, the same as Prisma does, on the pool and in a Prisma transaction', async () => {
    const store = await newStore('SQL round trip');
    const at = new Date('2026-03-31T23:30:00.123Z');
    await sqlOnPool(dbPool()).execute(sql`UPDATE "Store" SET "suspendedAt" = ${at}::timestamp WHERE "id" = ${store.id}::uuid`);
    const byPrisma = await db().store.findUniqueOrThrow({ where: { id: store.id }, select: { suspendedAt: true, createdAt: true } });
    expect(byPrisma.suspendedAt?.toISOString()).toBe(at.toISOString());

    const query = sql`SELECT "suspendedAt", "createdAt", 9007199254740993::bigint AS "big", "status"::text AS "status" FROM "Store" WHERE "id" = ${store.id}::uuid`;
    const [onPool] = await sqlOnPool(dbPool()).rows<{ suspendedAt: Date; createdAt: Date; big: bigint; status: string }>(query);
    const [inTransaction] = await db().$transaction((tx) => sqlOf(tx).rows<{ suspendedAt: Date; createdAt: Date; big: bigint; status: string }>(query));
    for (const row of [onPool!, inTransaction!]) {
      expect(row.suspendedAt.toISOString()).toBe(at.toISOString());
      expect(row.createdAt.toISOString()).toBe(byPrisma.createdAt.toISOString());
      expect(row.big).toBe(9007199254740993n);
      expect(row.status).toBe('ACTIVE');
    }
  });

  it('commits a transaction that returns and rolls back one that throws, passing the error on', async () => {
    const store = await newStore('SQL transaction');
    const rename = (name: string) => sql`UPDATE "Store" SET "name" = ${name} WHERE "id" = ${store.id}::uuid`;
    await sqlTransaction(dbPool(), (tx) => tx.execute(rename('Committed')));
    const failure = new Error('refused after the write');
    await expect(
      sqlTransaction(dbPool(), async (tx) => {
        expect(await tx.execute(rename('Rolled back'))).toBe(1);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect((await db().store.findUniqueOrThrow({ where: { id: store.id } })).name).toBe('Committed');
  });

  it('refuses a value it cannot send as text, before anything is sent', async () => {
    const [before] = await sqlOnPool(dbPool()).rows<{ n: bigint }>(sql`SELECT count(*) AS "n" FROM "Store"`);
    await expect(sqlOnPool(dbPool()).execute(sql`INSERT INTO "Store" ("id", "name") VALUES (${randomUUID()}::uuid, ${{ name: 'object' } as unknown as string})`)).rejects.toThrow(TypeError);
    const [after] = await sqlOnPool(dbPool()).rows<{ n: bigint }>(sql`SELECT count(*) AS "n" FROM "Store"`);
    expect(after!.n).toBe(before!.n);
  });
});
