import { SetError } from './errors';

/**
 * Remembers which requests were seen, so an exact replay is refused. The app
 * backs it with its database; simulators and tests use InMemoryReplayCache.
 */
export interface ReplayCache {
  /** Records `key` until `expiresAt`; answers false if it was already there. */
  remember(key: string, expiresAt: Date): Promise<boolean>;
}

/** A ReplayCache in one process's memory, pruned as entries expire. */
export class InMemoryReplayCache implements ReplayCache {
  private readonly entries = new Map<string, number>();
  private lastPrune = 0;

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async remember(key: string, expiresAt: Date): Promise<boolean> {
    const now = this.clock().getTime();
    if (now - this.lastPrune > 10_000) {
      for (const [entry, until] of this.entries) if (until <= now) this.entries.delete(entry);
      this.lastPrune = now;
    }
    const until = this.entries.get(key);
    if (until !== undefined && until > now) return false;
    this.entries.set(key, expiresAt.getTime());
    return true;
  }
}

/** Default bound on clock difference between parties. */
export const DEFAULT_MAX_SKEW_SECONDS = 300;

/** Refuses a message time outside now ± skew. */
export function checkTime(time: string, now: Date, maxSkewSeconds = DEFAULT_MAX_SKEW_SECONDS): void {
  const sent = Date.parse(time);
  if (Number.isNaN(sent)) throw new SetError('invalid_message', 'The message time is not a date.');
  const skew = maxSkewSeconds * 1000;
  if (sent < now.getTime() - skew) throw new SetError('stale_message', 'The message is too old.');
  if (sent > now.getTime() + skew) throw new SetError('message_from_future', 'The message is dated in the future.');
}
