import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitAdmission, type CircuitPermit, type CircuitSnapshot } from '@/lib/payments/circuit-breaker';

const start = new Date('2026-12-01T09:00:00Z');
/** The test's clock: `at(5)` is five seconds after the start. */
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

function breaker(settings = { failureThreshold: 3, cooldownMs: 30_000 }) {
  const changes: CircuitSnapshot[] = [];
  return { breaker: new CircuitBreaker(settings, (snapshot) => changes.push(snapshot), start), changes };
}

function permitOf(admission: CircuitAdmission): CircuitPermit {
  if (!admission.admitted) throw new Error(`refused (${admission.state}) until ${admission.retryAt.toISOString()}`);
  return admission.permit;
}

/** Opens the breaker at `seconds` with a run of failures. */
function open(subject: CircuitBreaker, seconds: number, failures = 3) {
  for (let index = 0; index < failures; index += 1) permitOf(subject.admit(at(seconds))).failed(at(seconds), 'timed out');
}

describe('CircuitBreaker', () => {
  it('starts closed, admits every call, and records nothing while calls succeed', () => {
    const { breaker: subject, changes } = breaker();
    for (let index = 0; index < 10; index += 1) permitOf(subject.admit(at(index))).succeeded(at(index));
    expect(subject.snapshot()).toEqual({ state: 'CLOSED', since: start, failures: 0, lastFailureAt: null, lastFailure: null, openedCount: 0 });
    expect(changes).toEqual([]);
  });

  it('opens after a run of failures in a row, and a success in between starts the run again', () => {
    const { breaker: subject, changes } = breaker();
    permitOf(subject.admit(at(1))).failed(at(1), 'connection refused');
    permitOf(subject.admit(at(2))).failed(at(2), 'gateway unavailable');
    permitOf(subject.admit(at(3))).succeeded(at(3));
    expect(subject.snapshot()).toMatchObject({ state: 'CLOSED', failures: 0, lastFailure: 'gateway unavailable' });
    permitOf(subject.admit(at(4))).failed(at(4), 'timed out');
    permitOf(subject.admit(at(5))).failed(at(5), 'timed out');
    expect(subject.snapshot()).toMatchObject({ state: 'CLOSED', failures: 2 });
    permitOf(subject.admit(at(6))).failed(at(6), 'connection dropped');
    expect(subject.snapshot()).toEqual({ state: 'OPEN', since: at(6), failures: 3, lastFailureAt: at(6), lastFailure: 'connection dropped', openedCount: 1 });
    // Each change was told: two failures, the reset, two failures, the opening.
    expect(changes.map((change) => `${change.state}:${change.failures}`)).toEqual(['CLOSED:1', 'CLOSED:2', 'CLOSED:0', 'CLOSED:1', 'CLOSED:2', 'OPEN:3']);
  });

  it('refuses while open, until the cool-down has passed, without a trial being taken by a look', () => {
    const { breaker: subject } = breaker();
    open(subject, 10);
    expect(subject.admit(at(11))).toEqual({ admitted: false, state: 'OPEN', retryAt: at(40) });
    expect(subject.admit(at(39.999))).toMatchObject({ admitted: false, state: 'OPEN' });
    expect(subject.refusesUntil(at(39))).toEqual(at(40));
    expect(subject.refusesUntil(at(40))).toBeNull();
    expect(subject.snapshot().state).toBe('OPEN');
  });

  it('after the cool-down lets one trial through (half-open) and refuses the rest until it ends; its success closes the breaker', () => {
    const { breaker: subject, changes } = breaker();
    open(subject, 10);
    const trial = permitOf(subject.admit(at(40)));
    expect(trial.trial).toBe(true);
    expect(subject.snapshot()).toMatchObject({ state: 'HALF_OPEN', since: at(40), failures: 3 });
    expect(subject.admit(at(41))).toEqual({ admitted: false, state: 'HALF_OPEN', retryAt: at(41) });
    expect(subject.refusesUntil(at(41))).toBeNull();
    trial.succeeded(at(42));
    expect(subject.snapshot()).toEqual({ state: 'CLOSED', since: at(42), failures: 0, lastFailureAt: at(10), lastFailure: 'timed out', openedCount: 1 });
    expect(changes.slice(-3).map((change) => change.state)).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
    const next = permitOf(subject.admit(at(43)));
    expect(next.trial).toBe(false);
  });

  it('opens again for a whole cool-down when the trial fails', () => {
    const { breaker: subject } = breaker();
    open(subject, 10);
    permitOf(subject.admit(at(45))).failed(at(47), 'connection refused');
    expect(subject.snapshot()).toMatchObject({ state: 'OPEN', since: at(47), failures: 3, lastFailure: 'connection refused', openedCount: 2 });
    expect(subject.admit(at(70))).toEqual({ admitted: false, state: 'OPEN', retryAt: at(77) });
    expect(permitOf(subject.admit(at(77))).trial).toBe(true);
  });

  it('gives the trial to the next call when the trial was abandoned before it reached the gateway', () => {
    const { breaker: subject } = breaker();
    open(subject, 10);
    permitOf(subject.admit(at(40))).abandoned();
    expect(subject.snapshot().state).toBe('HALF_OPEN');
    const second = permitOf(subject.admit(at(41)));
    expect(second.trial).toBe(true);
    second.succeeded(at(41));
    expect(subject.snapshot().state).toBe('CLOSED');
  });

  it('ignores verdicts of calls admitted before the last change: late timeouts do not reopen it, a late success does not close it', () => {
    const { breaker: subject } = breaker();
    const inFlight = [subject.admit(at(1)), subject.admit(at(1)), subject.admit(at(1)), subject.admit(at(1)), subject.admit(at(1))].map(permitOf);
    open(subject, 2);
    // Admitted while closed, answered while open: history.
    inFlight[0]!.failed(at(20), 'timed out');
    inFlight[1]!.succeeded(at(20));
    expect(subject.snapshot()).toMatchObject({ state: 'OPEN', since: at(2), openedCount: 1 });
    const trial = permitOf(subject.admit(at(32)));
    inFlight[2]!.succeeded(at(33));
    expect(subject.snapshot().state).toBe('HALF_OPEN');
    trial.succeeded(at(34));
    inFlight[3]!.failed(at(35), 'timed out');
    inFlight[4]!.failed(at(35), 'timed out');
    expect(subject.snapshot()).toMatchObject({ state: 'CLOSED', failures: 0 });
  });

  it('counts one verdict per permit', () => {
    const { breaker: subject } = breaker();
    const permit = permitOf(subject.admit(at(1)));
    permit.failed(at(1), 'timed out');
    permit.failed(at(1), 'timed out');
    permit.failed(at(1), 'timed out');
    permit.succeeded(at(1));
    expect(subject.snapshot()).toMatchObject({ state: 'CLOSED', failures: 1 });
  });

  it('opens on the first failure with a threshold of one', () => {
    const { breaker: subject } = breaker({ failureThreshold: 1, cooldownMs: 1_000 });
    permitOf(subject.admit(at(1))).failed(at(1), 'HTTP 502');
    expect(subject.admit(at(1.5))).toEqual({ admitted: false, state: 'OPEN', retryAt: at(2) });
  });
});
