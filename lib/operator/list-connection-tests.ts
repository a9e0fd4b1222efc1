import { z } from 'zod';
import { db } from '@/lib/db/client';
import { readConnectionTestDetail } from '@/lib/operator/connection-test-detail';

export const CONNECTION_TESTS_PAGE_SIZE = 25;

/** Where the previous page ended: the last test's start (ms) and id, newest first. */
const cursorPattern = /^(\d{1,15})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** The history's filter as the page's query string gives it; anything malformed is ignored rather than refused. */
export const connectionTestFilterSchema = z.object({
  acquirer: z.uuid().optional().catch(undefined),
  before: z.string().max(80).regex(cursorPattern).optional().catch(undefined),
});

export function connectionTestCursor(test: { startedAt: Date; id: string }): string {
  return `${test.startedAt.getTime()}_${test.id}`;
}

/**
 * The connection-test history, newest first, optionally of one acquirer, a page at a time: `before` is the
 * cursor of the previous page's last test, so tests recorded meanwhile neither shift nor repeat a page.
 */
export async function listConnectionTests(options: { acquirerId?: string; limit?: number; before?: string }) {
  const limit = Math.min(Math.max(options.limit ?? CONNECTION_TESTS_PAGE_SIZE, 1), 100);
  const cursor = options.before ? cursorPattern.exec(options.before) : null;
  const after = cursor ? { startedAt: new Date(Number(cursor[1])), id: cursor[2]! } : null;
  const rows = await db().acquirerConnectionTest.findMany({
    where: {
      ...(options.acquirerId ? { acquirerId: options.acquirerId } : {}),
      ...(after ? { OR: [{ startedAt: { lt: after.startedAt } }, { startedAt: after.startedAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: { id: true, trigger: true, ok: true, code: true, message: true, latencyMs: true, detail: true, startedAt: true, acquirer: { select: { id: true, code: true, name: true } } },
  });
  const page = rows.slice(0, limit);
  return {
    tests: page.map((row) => ({ ...row, detail: readConnectionTestDetail(row.detail) })),
    nextBefore: rows.length > limit ? connectionTestCursor(page[page.length - 1]!) : null,
  };
}
