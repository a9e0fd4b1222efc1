import { afterAll, describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { createCertificate, createStoreWithPosAcquirer } from '@/lib/testing/certificate-fixtures';
import { outboxEmailsTo, waitFor } from '@/lib/testing/fixtures';

describe('the worker’s certificate expiry scan', () => {
  let worker: RunningWorker | undefined;
  const storeIds: string[] = [];

  afterAll(async () => {
    await worker?.stop();
    // Nothing listens on this SMTP port: retire the alert e-mails so a later worker on a reused database does not retry them.
    await db().outboxMessage.updateMany({ where: { storeId: { in: storeIds }, status: { in: ['PENDING', 'DISPATCHED'] } }, data: { status: 'FAILED' } });
  });

  it('runs once at start: the alert is recorded and its e-mail queued without waiting for the schedule', async () => {
    const link = await createStoreWithPosAcquirer();
    storeIds.push(link.storeId);
    const certificate = await createCertificate(link, { notAfter: new Date(Date.now() + 3 * 86_400_000) });

    worker = await startWorker({ databaseUrl: env().DATABASE_URL, smtpUrl: 'smtp://127.0.0.1:1', mailFrom: 'ServerPOS Test <test@serverpos.localhost>', outboxPollMs: 100 });

    const alert = await waitFor(
      async () => (await db().certificateExpiryAlert.findFirst({ where: { certificateId: certificate.id } })) ?? undefined,
      'the expiry alert',
      30_000,
    );
    expect(alert.thresholdDays).toBe(7);
    expect((await outboxEmailsTo(link.contactEmail)).map((row) => row.email.subject)).toEqual([`Certificate expires within 7 days: ${link.posName} · ${link.acquirerName}`]);
  });
});
