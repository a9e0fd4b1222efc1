import os from 'node:os';
import { dbPool } from '@/lib/db/client';
import { sql, sqlOnPool } from '@/lib/db/sql';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { describeError, log } from '@/lib/log';
import { CircuitBreaker, type CircuitPermit, type CircuitSnapshot } from '@/lib/payments/circuit-breaker';

/**
 * This process's circuit breakers, one per acquirer, around its authorisations (docs/decisions.md: in memory per
 * instance, recorded in PostgreSQL). Reading a breaker costs no database round trip; a change of its state or of
 * its failure count is written to the instance's AcquirerCircuit row after the call, in the background and in
 * order, so the operator console shows every instance's breakers. In steady health nothing is written.
 */

const breakers = new Map<string, CircuitBreaker>();

/** This instance's name in AcquirerCircuit rows. */
export function instanceName(): string {
  return env().INSTANCE_NAME ?? `${os.hostname()}:${process.pid}`;
}

function breakerFor(acquirerId: string): CircuitBreaker {
  let breaker = breakers.get(acquirerId);
  if (!breaker) {
    const settings = { failureThreshold: env().GATEWAY_CIRCUIT_FAILURES, cooldownMs: env().GATEWAY_CIRCUIT_COOLDOWN_SECONDS * 1000 };
    breaker = new CircuitBreaker(settings, (snapshot) => queueRecord(acquirerId, snapshot));
    breakers.set(acquirerId, breaker);
  }
  return breaker;
}

/** An acquirer as the breaker's refusal names it. */
export interface CircuitAcquirer {
  id: string;
  name: string;
}

function unavailable(acquirer: CircuitAcquirer, retryAt: Date, at: Date): AppError {
  const seconds = Math.max(1, Math.ceil((retryAt.getTime() - at.getTime()) / 1000));
  return new AppError(
    'acquirer_unavailable',
    `Payments through ${acquirer.name} are paused because its network is not answering. Nothing was sent or charged; try again in about ${seconds} s.`,
  );
}

/**
 * Admits one authorisation to the acquirer's gateway at `at`, or throws `acquirer_unavailable` while its breaker
 * is open (or its one half-open trial is in flight). The caller reports the permit's verdict once the gateway
 * call has ended, or abandons it if the call was never sent.
 */
export function admitGatewayCall(acquirer: CircuitAcquirer, at: Date): CircuitPermit {
  const admission = breakerFor(acquirer.id).admit(at);
  if (!admission.admitted) throw unavailable(acquirer, admission.retryAt, at);
  return admission.permit;
}

/**
 * Throws `acquirer_unavailable` while the acquirer's breaker is open, without taking its half-open trial: for
 * steps ahead of the authorisation (the checkout's PInitReq), so the customer learns before typing a card number.
 */
export function assertAcquirerAvailable(acquirer: CircuitAcquirer, at: Date): void {
  const until = breakers.get(acquirer.id)?.refusesUntil(at);
  if (until) throw unavailable(acquirer, until, at);
}

/** This instance's breaker for an acquirer, as it stands (CLOSED with no failures for one never used). */
export function acquirerCircuitSnapshot(acquirerId: string): CircuitSnapshot {
  return breakerFor(acquirerId).snapshot();
}

// Recording: the newest snapshot per acquirer waits here; one drain at a time writes them, so rows never go back in time.
const waiting = new Map<string, CircuitSnapshot>();
let draining: Promise<void> | null = null;

function queueRecord(acquirerId: string, snapshot: CircuitSnapshot): void {
  waiting.set(acquirerId, snapshot);
  draining ??= drain();
}

async function drain(): Promise<void> {
  const instance = instanceName();
  // No await between the last look at `waiting` and clearing `draining`: a change queued after it starts a new drain.
  for (;;) {
    if (waiting.size === 0) {
      draining = null;
      return;
    }
    const [acquirerId, snapshot] = waiting.entries().next().value as [string, CircuitSnapshot];
    waiting.delete(acquirerId);
    try {
      await sqlOnPool(dbPool()).execute(sql`
        INSERT INTO "AcquirerCircuit" ("acquirerId", "instance", "state", "since", "failures", "lastFailureAt", "lastFailure", "openedCount", "updatedAt")
        VALUES (${acquirerId}::uuid, ${instance}, ${snapshot.state}::"CircuitState", ${snapshot.since}::timestamp, ${snapshot.failures}::int,
                ${snapshot.lastFailureAt}::timestamp, ${snapshot.lastFailure}, ${snapshot.openedCount}::int, ${new Date()}::timestamp)
        ON CONFLICT ("acquirerId", "instance") DO UPDATE SET
          "state" = EXCLUDED."state", "since" = EXCLUDED."since", "failures" = EXCLUDED."failures", "lastFailureAt" = EXCLUDED."lastFailureAt",
          "lastFailure" = EXCLUDED."lastFailure", "openedCount" = EXCLUDED."openedCount", "updatedAt" = EXCLUDED."updatedAt"`);
    } catch (error) {
      // The breaker works without its record; the console shows the last one written.
      log.warn('a circuit breaker change was not recorded', { acquirerId, state: snapshot.state, ...describeError(error) });
    }
  }
}

/** Waits until every breaker change so far is written (tests, and a graceful stop). */
export async function flushAcquirerCircuitRecords(): Promise<void> {
  while (draining) await draining;
}
