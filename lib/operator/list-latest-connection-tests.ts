import { db } from '@/lib/db/client';
import { readConnectionTestDetail } from '@/lib/operator/connection-test-detail';

/** Every acquirer (active first, then by name) with its latest connection test, or null when it was never tested. */
export async function listLatestConnectionTests() {
  const acquirers = await db().acquirer.findMany({
    orderBy: [{ status: 'asc' }, { name: 'asc' }],
    select: {
      id: true,
      code: true,
      name: true,
      status: true,
      gatewayUrl: true,
      connectionTests: { orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], take: 1, select: { id: true, trigger: true, ok: true, code: true, message: true, latencyMs: true, detail: true, startedAt: true } },
    },
  });
  return acquirers.map(({ connectionTests, ...acquirer }) => {
    const latest = connectionTests[0];
    return { ...acquirer, latest: latest ? { ...latest, detail: readConnectionTestDetail(latest.detail) } : null };
  });
}
