/** `npm run worker`: the background worker as its own process. */
import { env } from '@/lib/env';
import { startWorker } from '@/lib/jobs/worker';
import { describeError, log } from '@/lib/log';

try {
  const config = env();
  const worker = await startWorker({
    databaseUrl: config.DATABASE_URL,
    smtpUrl: config.SMTP_URL,
    mailFrom: config.MAIL_FROM,
    outboxPollMs: config.OUTBOX_POLL_MS,
    paymentResolvePollMs: config.PAYMENT_RESOLVE_POLL_MS,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await worker.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  log.error('worker could not start', describeError(error));
  process.exit(1);
}
