import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { queues } from '@/lib/jobs/queues';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';

describe('the worker’s payment jobs', () => {
  let worker: RunningWorker | undefined;

  afterAll(async () => {
    await worker?.stop();
  });

  it('closes the capture batches daily at the configured UTC hour, resends unanswered ones and expires orders every minute', async () => {
    worker = await startWorker({ databaseUrl: env().DATABASE_URL, smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'ServerPOS Test <test@serverpos.localhost>', outboxPollMs: 1_000, captureBatchHourUtc: 5 });
    const schedules = await db().$queryRaw<{ name: string; cron: string; timezone: string | null }[]>`SELECT "name", "cron", "timezone" FROM pgboss."schedule"`;
    const cronOf = (name: string) => schedules.find((schedule) => schedule.name === name);
    expect(cronOf(queues.captureBatchClose.name)).toMatchObject({ cron: '0 5 * * *', timezone: 'UTC' });
    expect(cronOf(queues.captureBatchResend.name)).toMatchObject({ cron: '* * * * *' });
    expect(cronOf(queues.orderExpiry.name)).toMatchObject({ cron: '* * * * *' });
  });
});
