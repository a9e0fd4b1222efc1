/** Job queues of the worker, with their retry policy. */
export const queues = {
  /** Delivers one outbox e-mail; retried with exponential backoff (2 s, 4 s, 8 s … about 8.5 minutes in all). */
  emailSend: { name: 'email.send', retryLimit: 8, retryDelay: 2, retryBackoff: true },
  /** Deletes ended sessions and spent tokens; scheduled hourly. */
  authCleanup: { name: 'auth.cleanup', retryLimit: 2, retryDelay: 60, retryBackoff: false },
} as const;
