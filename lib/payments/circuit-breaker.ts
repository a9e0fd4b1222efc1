/**
 * A circuit breaker for one acquirer's gateway, in one process: pure state, no I/O, time given by the caller.
 *
 * CLOSED: every call goes out; a run of `failureThreshold` failures in a row (no answer, a refused
 * connection, a 5xx, an answer that does not verify — never a business decline, which is an answer) opens it.
 * OPEN: calls are refused without reaching the gateway until `cooldownMs` after it opened.
 * HALF_OPEN: the first call after the cool-down is the one trial; the others are refused meanwhile. Its
 * success closes the breaker, its failure opens it again for another cool-down.
 *
 * Each admitted call holds a permit stamped with the breaker's epoch (bumped on every transition), and a
 * verdict only counts under the epoch it was admitted in: a call sent while CLOSED that times out after the
 * breaker opened, or one that succeeds after it re-opened, is history, not evidence about the gateway now.
 */

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

/** What a breaker knows, as the operator console shows it. */
export interface CircuitSnapshot {
  state: CircuitState;
  /** When it entered this state. */
  since: Date;
  /** Failures in a row: counting while CLOSED; the run that opened it while OPEN or HALF_OPEN. */
  failures: number;
  lastFailureAt: Date | null;
  /** Why the last failure counted (e.g. "timed out", "connection refused"). */
  lastFailure: string | null;
  /** How many times it has opened since the process started. */
  openedCount: number;
}

export interface CircuitSettings {
  /** Failures in a row that open the breaker. */
  failureThreshold: number;
  /** How long it stays open before one trial call may go. */
  cooldownMs: number;
}

/** An admitted call. Exactly one of succeeded, failed or abandoned counts; later ones are ignored. */
export interface CircuitPermit {
  /** True when this call is the half-open trial. */
  readonly trial: boolean;
  /** The gateway answered (an approval, a decline, a protocol refusal: it is up). */
  succeeded(at: Date): void;
  /** No usable answer: the gateway is down, slow or broken. */
  failed(at: Date, reason: string): void;
  /** The call never reached the gateway for a reason of ours (a refused claim, a bad request): no verdict. */
  abandoned(): void;
}

export type CircuitAdmission = { admitted: true; permit: CircuitPermit } | { admitted: false; state: 'OPEN' | 'HALF_OPEN'; retryAt: Date };

export class CircuitBreaker {
  private state: CircuitState = 'CLOSED';
  private since: Date;
  private failures = 0;
  private lastFailureAt: Date | null = null;
  private lastFailure: string | null = null;
  private openedCount = 0;
  private epoch = 0;
  private trialInFlight = false;

  constructor(
    private readonly settings: CircuitSettings,
    /** Told of every change of the snapshot (state or failure count), after it happened. */
    private readonly onChange: (snapshot: CircuitSnapshot) => void = () => {},
    createdAt: Date = new Date(),
  ) {
    this.since = createdAt;
  }

  snapshot(): CircuitSnapshot {
    return { state: this.state, since: this.since, failures: this.failures, lastFailureAt: this.lastFailureAt, lastFailure: this.lastFailure, openedCount: this.openedCount };
  }

  /**
   * Asks to send one call at `at`. OPEN past its cool-down becomes HALF_OPEN here and this call is its trial.
   * A refusal says when a call may next be tried (the end of the cool-down; for a trial in flight, now).
   */
  admit(at: Date): CircuitAdmission {
    if (this.state === 'OPEN') {
      const retryAt = this.retryAt();
      if (at < retryAt) return { admitted: false, state: 'OPEN', retryAt };
      this.transition('HALF_OPEN', at);
    }
    if (this.state === 'HALF_OPEN') {
      if (this.trialInFlight) return { admitted: false, state: 'HALF_OPEN', retryAt: at };
      this.trialInFlight = true;
      return { admitted: true, permit: this.permit(true) };
    }
    return { admitted: true, permit: this.permit(false) };
  }

  /** When an OPEN breaker would refuse a call at `at`, until when; null otherwise. Changes nothing (no trial is taken). */
  refusesUntil(at: Date): Date | null {
    if (this.state !== 'OPEN') return null;
    const retryAt = this.retryAt();
    return at < retryAt ? retryAt : null;
  }

  private retryAt(): Date {
    return new Date(this.since.getTime() + this.settings.cooldownMs);
  }

  private permit(trial: boolean): CircuitPermit {
    const epoch = this.epoch;
    let settled = false;
    const settle = (verdict: () => void) => {
      if (settled) return;
      settled = true;
      if (trial && epoch === this.epoch) this.trialInFlight = false;
      if (epoch === this.epoch) verdict();
    };
    return {
      trial,
      succeeded: (at) => settle(() => this.onSuccess(at)),
      failed: (at, reason) => settle(() => this.onFailure(at, reason)),
      abandoned: () => settle(() => {}),
    };
  }

  private onSuccess(at: Date): void {
    if (this.state === 'HALF_OPEN') {
      this.failures = 0;
      this.transition('CLOSED', at);
      return;
    }
    if (this.state === 'CLOSED' && this.failures > 0) {
      this.failures = 0;
      this.onChange(this.snapshot());
    }
  }

  private onFailure(at: Date, reason: string): void {
    this.lastFailureAt = at;
    this.lastFailure = reason.slice(0, 200);
    if (this.state === 'HALF_OPEN') {
      this.openedCount += 1;
      this.transition('OPEN', at);
      return;
    }
    if (this.state !== 'CLOSED') return;
    this.failures += 1;
    if (this.failures < this.settings.failureThreshold) {
      this.onChange(this.snapshot());
      return;
    }
    this.openedCount += 1;
    this.transition('OPEN', at);
  }

  private transition(state: CircuitState, at: Date): void {
    this.state = state;
    this.since = at;
    this.epoch += 1;
    this.trialInFlight = false;
    this.onChange(this.snapshot());
  }
}
