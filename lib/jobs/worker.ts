import pg from 'pg';
import PgBossModule from 'pg-boss';
import type PgBossType from 'pg-boss';
import { deleteExpiredRequestNonces } from '@/lib/acquirers/delete-expired-request-nonces';
import { systemActor } from '@/lib/audit/record-audit-event';
import { cleanupAuthRecords } from '@/lib/auth/cleanup-auth-records';
import { scanExpiringCertificates } from '@/lib/certificates/scan-expiring-certificates';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { outboxHandlers } from '@/lib/jobs/outbox-handlers';
import { deleteOldConnectionTests } from '@/lib/operator/delete-old-connection-tests';
import { runAllConnectionTests } from '@/lib/operator/run-all-connection-tests';
import { expireOrders } from '@/lib/payments/expire-orders';
import { recoverInterruptedPayments } from '@/lib/payments/recover-interrupted-payments';
import { resolveUnknownPayments } from '@/lib/payments/resolve-unknown-payments';
import { sendCaptureBatches } from '@/lib/payments/send-capture-batches';
import { queues } from '@/lib/jobs/queues';
import { describeError, log } from '@/lib/log';
import { createMailer } from '@/lib/mail/transport';
import { claimOutboxMessages, markAttemptFailed, markDelivered } from '@/lib/outbox/relay';
import { pullAllStoresInfo } from '@/lib/stores/pull-store-info';
import { refreshDailyStats } from '@/lib/stats/refresh-daily-stats';

/** Concurrent deliveries per outbox queue in one worker process. */
const OUTBOX_CONSUMERS_PER_QUEUE = 4;

// pg-boss is CommonJS; its class is the default export.
const PgBoss = PgBossModule as unknown as typeof PgBossType;

export interface WorkerOptions {
  databaseUrl: string;
  smtpUrl: string;
  mailFrom: string;
  outboxPollMs: number;
  /** How often unknown payment outcomes are looked for (default 30 s). */
  paymentResolvePollMs?: number;
  /** The UTC hour the daily capture batches close (default CAPTURE_BATCH_HOUR_UTC). */
  captureBatchHourUtc?: number;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/**
 * The worker process: relays the transactional outbox into pg-boss queues and
 * works those queues. pg-boss claims jobs with SKIP LOCKED, so any number of
 * workers can run against one database and a job runs on one of them.
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  // The domain code the handlers call uses the process-wide client: one pool per process, not two.
  const prisma = db();
  const mailer = createMailer(options.smtpUrl, options.mailFrom);
  // Maintenance (which also fails and retries jobs active past their expiry: a killed worker's) every 30 s, not 2 minutes.
  const boss = new PgBoss({ connectionString: options.databaseUrl, max: 4, application_name: 'serverpos-worker', maintenanceIntervalSeconds: 30 });
  boss.on('error', (error) => log.error('job queue error', describeError(error)));
  // Start-up changes pg-boss's own tables (its schema and a table per queue). Two workers starting at the same
  // moment deadlocked in PostgreSQL and one of them gave up, so workers take turns here.
  const startupLock = await takeStartupLock(options.databaseUrl);
  try {
    await boss.start();
    for (const queue of Object.values(queues)) {
      await boss.createQueue(queue.name, {
        name: queue.name,
        retryLimit: queue.retryLimit,
        retryDelay: queue.retryDelay,
        retryBackoff: queue.retryBackoff,
        ...('expireInSeconds' in queue ? { expireInSeconds: queue.expireInSeconds } : {}),
      });
    }
  } finally {
    await startupLock.release();
  }

  // The outbox's queues; the handler table says what each kind does.
  const outboxQueues = new Set(Object.values(outboxHandlers).map((handler) => handler.queue));
  const deliver: PgBossType.WorkWithMetadataHandler<{ outboxMessageId: string }> = async ([job]) => {
    if (!job) return;
    const id = job.data.outboxMessageId;
    const message = await prisma.outboxMessage.findUnique({ where: { id } });
    if (!message || message.status === 'DELIVERED' || message.status === 'FAILED') return;
    const handler = outboxHandlers[message.kind];
    if (!handler) {
      await markAttemptFailed(prisma, id, `no handler delivers outbox messages of kind "${message.kind}"`, true);
      return;
    }
    try {
      await handler.deliver({ id: message.id, storeId: message.storeId, payload: message.payload }, { prisma, mailer });
      await markDelivered(prisma, id);
      log.info('outbox message delivered', { outboxMessageId: id, kind: message.kind, attempt: job.retryCount + 1 });
    } catch (error) {
      const final = job.retryCount >= job.retryLimit;
      await markAttemptFailed(prisma, id, describeError(error).errorMessage, final);
      log.warn('outbox delivery failed', { outboxMessageId: id, kind: message.kind, attempt: job.retryCount + 1, final, ...describeError(error) });
      throw error;
    }
  };
  // Several consumers per queue: one slow delivery (an acquirer timing out) does not hold up the others. They
  // poll every 2 s (at 0.5 s the idle polling of 28 consumers was most of the database's statements); a job
  // this process's relay sends wakes one of them at once, in turn. A consumer that found a job looks again at
  // once, so it waits out its interval only on an empty queue: pg-boss otherwise waits the rest of the interval
  // after every job, and 4 consumers delivered about 7 webhooks a second behind 50 authorizations a second.
  const consumers = new Map<string, { ids: string[]; next: number }>();
  for (const queue of outboxQueues) {
    const ids: string[] = [];
    for (let consumer = 0; consumer < OUTBOX_CONSUMERS_PER_QUEUE; consumer++) {
      // Its id is known once work() answers; a job fetched before that only misses the early look.
      const self = { id: '' };
      const deliverAndGoOn: typeof deliver = async (jobs) => {
        try {
          await deliver(jobs);
        } finally {
          if (jobs.length > 0 && self.id) boss.notifyWorker(self.id);
        }
      };
      self.id = await boss.work(queue, { includeMetadata: true, pollingIntervalSeconds: 2, batchSize: 1 }, deliverAndGoOn);
      ids.push(self.id);
    }
    consumers.set(queue, { ids, next: 0 });
  }
  const wakeConsumer = (queue: string) => {
    const entry = consumers.get(queue);
    if (!entry) return;
    boss.notifyWorker(entry.ids[entry.next % entry.ids.length]!);
    entry.next++;
  };

  await boss.work(queues.authCleanup.name, async () => {
    const removed = await cleanupAuthRecords(prisma);
    log.info('auth records cleaned up', removed);
  });
  await boss.schedule(queues.authCleanup.name, '17 * * * *');

  await boss.work(queues.certificateExpiryScan.name, async () => {
    const scanned = await scanExpiringCertificates({ prisma });
    if (scanned.alertsSent > 0 || scanned.expired > 0) log.info('certificate expiry scan', { ...scanned });
  });
  await boss.schedule(queues.certificateExpiryScan.name, '* * * * *');
  // Once at start too, so alerts do not wait for the first minute boundary; alert rows make a repeat harmless.
  await boss.send(queues.certificateExpiryScan.name, {});

  await boss.work(queues.storeInfoPull.name, async () => {
    const pulled = await pullAllStoresInfo({ prisma });
    if (pulled.applied > 0 || pulled.failed > 0) log.info('store information pulled from acquirers', { ...pulled });
  });
  await boss.schedule(queues.storeInfoPull.name, '*/5 * * * *');

  // Daily capture batches: closed and sent once a day; a batch left without an answer is sent again (same id) every minute.
  await boss.work(queues.captureBatchClose.name, async () => {
    const run = await sendCaptureBatches({ actor: systemActor });
    log.info('daily capture batches sent', { ...run });
  });
  await boss.schedule(queues.captureBatchClose.name, `0 ${options.captureBatchHourUtc ?? env().CAPTURE_BATCH_HOUR_UTC} * * *`, {}, { tz: 'UTC' });
  await boss.work(queues.captureBatchResend.name, async () => {
    const run = await sendCaptureBatches({ actor: systemActor, close: false });
    if (run.answered + run.failed + run.unanswered > 0) log.info('unanswered capture batches sent again', { ...run });
  });
  await boss.schedule(queues.captureBatchResend.name, '* * * * *');

  await boss.work(queues.orderExpiry.name, async () => {
    const expired = await expireOrders();
    if (expired.orders + expired.payments > 0) log.info('orders expired', expired);
  });
  await boss.schedule(queues.orderExpiry.name, '* * * * *');

  // Connection tests to every acquirer's gateway, with history; the interval divides an hour, so */N is evenly spaced.
  await boss.work(queues.connectionTests.name, async () => {
    const run = await runAllConnectionTests({ trigger: 'SCHEDULED' });
    const deleted = await deleteOldConnectionTests();
    const failing = run.tests.filter((test) => !test.ok).length;
    if (failing + run.failedToRun + deleted > 0) log.info('acquirer connection tests', { tested: run.tests.length, failing, failedToRun: run.failedToRun, oldTestsDeleted: deleted });
  });
  const testEvery = env().CONNECTION_TEST_INTERVAL_MINUTES;
  await boss.schedule(queues.connectionTests.name, testEvery === 60 ? '0 * * * *' : `*/${testEvery} * * * *`);

  await boss.work(queues.acquirerNonceCleanup.name, async () => {
    const removed = await deleteExpiredRequestNonces({ prisma });
    if (removed.deleted > 0) log.info('expired acquirer request nonces deleted', removed);
  });
  await boss.schedule(queues.acquirerNonceCleanup.name, '41 * * * *');

  // Statistics rollup: an advisory lock inside makes runs of several workers take turns.
  await boss.work(queues.statsRollup.name, async () => {
    const run = await refreshDailyStats();
    if (run.storeDays > 0) log.info('daily statistics rolled up', { storeDays: run.storeDays, days: run.days });
  });
  await boss.schedule(queues.statsRollup.name, '* * * * *');
  await boss.send(queues.statsRollup.name, {});

  let stopping = false;
  let relayTimer: NodeJS.Timeout | undefined;
  let relayRunning: Promise<void> = Promise.resolve();

  async function relayOnce(): Promise<number> {
    const claimed = await claimOutboxMessages(prisma, 50);
    for (const message of claimed) {
      const queue = outboxHandlers[message.kind]?.queue;
      if (!queue) {
        await markAttemptFailed(prisma, message.id, `no queue delivers outbox messages of kind "${message.kind}"`, true);
        continue;
      }
      // The job id is the outbox id: a second dispatch of one message is a no-op in pg-boss.
      await boss.send(queue, { outboxMessageId: message.id }, { id: message.id });
      wakeConsumer(queue);
    }
    return claimed.length;
  }

  const relayLoop = async () => {
    if (stopping) return;
    relayRunning = (async () => {
      try {
        // Drain quickly while there is a backlog; otherwise wait for the next poll.
        while (!stopping && (await relayOnce()) > 0);
      } catch (error) {
        log.error('outbox relay failed', describeError(error));
      }
    })();
    await relayRunning;
    if (!stopping) relayTimer = setTimeout(relayLoop, options.outboxPollMs);
  };
  void relayLoop();

  // Interrupted and unknown payment outcomes: a loop of its own, like the relay, so a deadline of seconds (tests) works.
  let resolveTimer: NodeJS.Timeout | undefined;
  let resolveRunning: Promise<void> = Promise.resolve();
  const resolveLoop = async () => {
    if (stopping) return;
    // First what a stopped app instance left in flight (it may add unknown outcomes), then the unknown outcomes.
    resolveRunning = recoverInterruptedPayments(prisma)
      .catch((error: unknown) => log.error('taking over interrupted payments failed', describeError(error)))
      .then(() => resolveUnknownPayments(prisma))
      .then(
        (counts) => {
          if (counts.authorized + counts.declined + counts.reversed + counts.not_authorized > 0) log.info('unknown payment outcomes resolved', counts);
        },
        (error: unknown) => log.error('resolving unknown payment outcomes failed', describeError(error)),
      );
    await resolveRunning;
    if (!stopping) resolveTimer = setTimeout(resolveLoop, options.paymentResolvePollMs ?? 30_000);
  };
  void resolveLoop();
  log.info('worker started', { queues: Object.values(queues).map((queue) => queue.name) });

  return {
    async stop() {
      stopping = true;
      clearTimeout(relayTimer);
      clearTimeout(resolveTimer);
      await relayRunning;
      await resolveRunning;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      mailer.close();
      await prisma.$disconnect();
      log.info('worker stopped');
    },
  };
}

/** Any number to name the workers' start-up lock (a PostgreSQL advisory lock, held by one session at a time). */
const STARTUP_LOCK_KEY = 7_310_218_004;

/** Waits for the workers' start-up lock on a connection of its own; release() gives it back and closes that connection. */
async function takeStartupLock(databaseUrl: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'serverpos-worker-startup' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
  } catch (error) {
    await client.end();
    throw error;
  }
  return {
    async release() {
      // Closing the session releases the lock too, should the unlock fail.
      await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).finally(() => client.end());
    },
  };
}
