import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import type { CircuitSnapshot } from '@/lib/payments/circuit-breaker';

/** One app instance's breaker for an acquirer, as that instance last recorded it. */
export interface InstanceCircuitView extends CircuitSnapshot {
  instance: string;
  /** While OPEN: when the next call may be the half-open trial (this deployment's cool-down). */
  trialFrom: Date | null;
  recordedAt: Date;
}

export interface AcquirerCircuitView {
  acquirerId: string;
  code: string;
  name: string;
  /** The most recently recorded state among the instances; CLOSED when none has recorded a change. */
  latest: InstanceCircuitView | null;
  /** Instances whose breaker is not closed now, as recorded. */
  notClosed: number;
  instances: InstanceCircuitView[];
}

/** A closed breaker without failures recorded longer ago than this says nothing (its instance may be long gone): not listed. */
const QUIET_CLOSED_MS = 24 * 3_600_000;

/**
 * Every acquirer's gateway circuit breakers, one per app instance that recorded a change (lib/payments/acquirer-
 * circuits.ts), newest change first. An instance records only changes, so a row is that instance's state since
 * `since`. Rows of instances that have stopped stay; a quiet closed one drops out of the list after a day.
 */
export async function listAcquirerCircuits(now = new Date()): Promise<AcquirerCircuitView[]> {
  const cooldownMs = env().GATEWAY_CIRCUIT_COOLDOWN_SECONDS * 1000;
  const quietBefore = new Date(now.getTime() - QUIET_CLOSED_MS);
  const acquirers = await db().acquirer.findMany({
    orderBy: { name: 'asc' },
    select: {
      id: true,
      code: true,
      name: true,
      circuits: { where: { OR: [{ state: { not: 'CLOSED' } }, { failures: { gt: 0 } }, { updatedAt: { gte: quietBefore } }] }, orderBy: [{ updatedAt: 'desc' }, { instance: 'asc' }] },
    },
  });
  return acquirers.map(({ id, code, name, circuits }) => {
    const instances = circuits.map((circuit) => ({
      instance: circuit.instance,
      state: circuit.state,
      since: circuit.since,
      failures: circuit.failures,
      lastFailureAt: circuit.lastFailureAt,
      lastFailure: circuit.lastFailure,
      openedCount: circuit.openedCount,
      trialFrom: circuit.state === 'OPEN' ? new Date(circuit.since.getTime() + cooldownMs) : null,
      recordedAt: circuit.updatedAt,
    }));
    return { acquirerId: id, code, name, latest: instances[0] ?? null, notClosed: instances.filter((instance) => instance.state !== 'CLOSED').length, instances };
  });
}
