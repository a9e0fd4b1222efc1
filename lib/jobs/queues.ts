/** Job queues of the worker, with their retry policy. */
export const queues = {
  /** Delivers one outbox e-mail; retried with exponential backoff (2 s, 4 s, 8 s … about 8.5 minutes in all). */
  emailSend: { name: 'email.send', retryLimit: 8, retryDelay: 2, retryBackoff: true },
  /** Forwards a store's contract application to its acquirer; an unreachable acquirer is retried with backoff (5 s … about 85 minutes in all). */
  acquirerApplication: { name: 'acquirer.application', retryLimit: 10, retryDelay: 5, retryBackoff: true },
  /** Revokes a certificate that stopped serving at the CA and destroys its key; retried for about a day. */
  certificateRevocation: { name: 'certificates.revoke', retryLimit: 20, retryDelay: 5, retryBackoff: true },
  /** Works one "renew all" run, item by item. */
  certificateRenewal: { name: 'certificates.renew-all', retryLimit: 5, retryDelay: 5, retryBackoff: true },
  /** Deletes ended sessions and spent tokens; scheduled hourly. */
  authCleanup: { name: 'auth.cleanup', retryLimit: 2, retryDelay: 60, retryBackoff: false },
  /** E-mails certificate expiry alerts and marks expired certificates; every minute and at start. No retry: the next minute is one. */
  certificateExpiryScan: { name: 'certificates.expiry-scan', retryLimit: 0, retryDelay: 60, retryBackoff: false },
} as const;
