import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '@/lib/db/client';
import { env } from '@/lib/env';
import { listAcquirerCircuits } from '@/lib/operator/list-acquirer-circuits';

describe('listAcquirerCircuits', () => {
  it('lists each instance’s recorded breaker, newest first, with when an open one may try again; a quiet closed one drops out after a day', async () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const code = `ACQ-L${randomUUID().slice(0, 6).toUpperCase()}`;
    const acquirer = await db().acquirer.create({ data: { code, name: `List ${code}`, brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set' } });
    const row = (instance: string, state: 'CLOSED' | 'OPEN' | 'HALF_OPEN', failures: number, recorded: Date) => ({
      acquirerId: acquirer.id,
      instance,
      state,
      since: recorded,
      failures,
      openedCount: state === 'CLOSED' ? 0 : 1,
      updatedAt: recorded,
      ...(failures > 0 ? { lastFailureAt: recorded, lastFailure: 'timed out' } : {}),
    });
    await db().acquirerCircuit.createMany({
      data: [
        row('quiet-old', 'CLOSED', 0, hoursAgo(30)),
        row('failing-old', 'CLOSED', 2, hoursAgo(30)),
        row('open-old', 'OPEN', 5, hoursAgo(48)),
        row('closed-recent', 'CLOSED', 0, hoursAgo(1)),
        row('half-open-now', 'HALF_OPEN', 5, hoursAgo(0)),
      ],
    });

    const view = (await listAcquirerCircuits(now)).find((circuit) => circuit.code === code)!;
    expect(view.instances.map((instance) => instance.instance)).toEqual(['half-open-now', 'closed-recent', 'failing-old', 'open-old']);
    expect(view.latest).toMatchObject({ instance: 'half-open-now', state: 'HALF_OPEN', trialFrom: null });
    expect(view.notClosed).toBe(2);
    const open = view.instances.find((instance) => instance.instance === 'open-old')!;
    expect(open.trialFrom).toEqual(new Date(hoursAgo(48).getTime() + env().GATEWAY_CIRCUIT_COOLDOWN_SECONDS * 1000));
    expect(view.instances.find((instance) => instance.instance === 'failing-old')).toMatchObject({ failures: 2, lastFailure: 'timed out' });
  });
});
