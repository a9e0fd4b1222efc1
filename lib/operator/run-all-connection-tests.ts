import { db } from '@/lib/db/client';
import type { ConnectionTestTrigger } from '@/lib/db/generated/prisma/enums';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { describeError, log } from '@/lib/log';
import { runConnectionTest, type ConnectionTestRecord } from '@/lib/operator/run-connection-test';

/**
 * Tests every ACTIVE acquirer's gateway at once (see runConnectionTest), so the whole run takes as long as the
 * slowest gateway, not their sum. A test that could not even be recorded (the database went away) is logged
 * and counted; the others stand.
 */
export async function runAllConnectionTests(options: { trigger: ConnectionTestTrigger; operatorUserId?: string; timeoutMs?: number; origin?: RequestOrigin | null }): Promise<{ tests: ConnectionTestRecord[]; failedToRun: number }> {
  const acquirers = await db().acquirer.findMany({ where: { status: 'ACTIVE' }, orderBy: { name: 'asc' }, select: { id: true, code: true } });
  const settled = await Promise.allSettled(
    acquirers.map((acquirer) =>
      runConnectionTest({
        acquirerId: acquirer.id,
        trigger: options.trigger,
        ...(options.operatorUserId ? { operatorUserId: options.operatorUserId } : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
      }),
    ),
  );
  const tests: ConnectionTestRecord[] = [];
  let failedToRun = 0;
  settled.forEach((result, index) => {
    if (result.status === 'fulfilled') tests.push(result.value);
    else {
      failedToRun += 1;
      log.error('a connection test could not be run', { acquirerCode: acquirers[index]!.code, ...describeError(result.reason) });
    }
  });
  return { tests, failedToRun };
}
