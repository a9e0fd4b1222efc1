/**
 * Job queues of the worker, with their retry policy. `expireInSeconds`: how long a job may stay active before
 * pg-boss takes it for lost (its worker was killed) and retries it; pg-boss's default is 15 minutes, far too
 * long for a delivery that times out in seconds.
 */
export const queues = {
  /** Delivers one outbox e-mail; retried with exponential backoff (2 s, 4 s, 8 s … about 8.5 minutes in all). */
  emailSend: { name: 'email.send', retryLimit: 8, retryDelay: 2, retryBackoff: true, expireInSeconds: 120 },
  /** Forwards a store's contract application to its acquirer; an unreachable acquirer is retried with backoff (5 s … about 85 minutes in all). */
  acquirerApplication: { name: 'acquirer.application', retryLimit: 10, retryDelay: 5, retryBackoff: true },
  /** Revokes a certificate that stopped serving at the CA and destroys its key; retried for about a day. */
  certificateRevocation: { name: 'certificates.revoke', retryLimit: 20, retryDelay: 5, retryBackoff: true },
  /** Works one "renew all" run, item by item. */
  certificateRenewal: { name: 'certificates.renew-all', retryLimit: 5, retryDelay: 5, retryBackoff: true },
  /** Asks an acquirer to confirm a withdrawal; retried for about a day. */
  acquirerWithdrawal: { name: 'acquirer.withdrawal', retryLimit: 20, retryDelay: 5, retryBackoff: true },
  /**
   * Sends a store's information to one acquirer until it acknowledges it: backoff from 5 s, doubling up
   * to about a day between tries, four to seven days in all; after that the five-minute pull (below)
   * finds the acquirer behind and queues it again.
   */
  storeInfoPush: { name: 'acquirer.store-info', retryLimit: 16, retryDelay: 5, retryBackoff: true },
  /** Pulls every active or suspended store's information from its acquirers; every 5 minutes. No retry: the next run is one. */
  storeInfoPull: { name: 'stores.info-pull', retryLimit: 0, retryDelay: 60, retryBackoff: false },
  /** Deletes ended sessions and spent tokens; scheduled hourly. */
  authCleanup: { name: 'auth.cleanup', retryLimit: 2, retryDelay: 60, retryBackoff: false },
  /** E-mails certificate expiry alerts and marks expired certificates; every minute and at start. No retry: the next minute is one. */
  certificateExpiryScan: { name: 'certificates.expiry-scan', retryLimit: 0, retryDelay: 60, retryBackoff: false },
  /** Closes the day's queued captures into batches and sends them; daily at CAPTURE_BATCH_HOUR_UTC. Retried a few times: a missed day waits a day. */
  captureBatchClose: { name: 'payments.capture-batches', retryLimit: 3, retryDelay: 300, retryBackoff: false },
  /** Sends again any capture batch left without an answer (a crash, a lost reply); every minute. No retry: the next minute is one. */
  captureBatchResend: { name: 'payments.capture-batches-resend', retryLimit: 0, retryDelay: 60, retryBackoff: false },
  /** Marks open orders past their expiry EXPIRED and fails their never-sent payments; every minute. No retry: the next minute is one. */
  orderExpiry: { name: 'orders.expire', retryLimit: 0, retryDelay: 60, retryBackoff: false },
  /** Rolls the payment transactions that changed since the last run up into the daily statistics; every minute. No retry: the next minute is one. */
  statsRollup: { name: 'stats.rollup', retryLimit: 0, retryDelay: 60, retryBackoff: false },
  /** POSTs one webhook event to its shop until a 2xx: backoff from 10 s, doubling (with jitter), about a day in all; then the console's "Redeliver". */
  webhookDelivery: { name: 'webhook.deliver', retryLimit: 12, retryDelay: 10, retryBackoff: true, expireInSeconds: 60 },
  /** Tests the connection to every active acquirer's gateway and deletes tests older than 30 days; every CONNECTION_TEST_INTERVAL_MINUTES. No retry: the next run is one. */
  connectionTests: { name: 'acquirers.connection-tests', retryLimit: 0, retryDelay: 60, retryBackoff: false },
  /** Deletes nonces of signed acquirer requests whose timestamps could no longer pass; hourly. No retry: the next hour is one. */
  acquirerNonceCleanup: { name: 'acquirers.nonce-cleanup', retryLimit: 0, retryDelay: 60, retryBackoff: false },
} as const;
