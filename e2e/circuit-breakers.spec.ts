import { randomUUID } from 'node:crypto';
import { expect, signIn, stackInfo, test } from './fixtures';

test.describe('operator console: gateway circuit breakers', () => {
  test('the acquirers page shows an acquirer’s breaker as each app instance recorded it', async ({ page, db }) => {
    // Two app instances' records for an acquirer of this test's own: one opened by refused connections, one closed.
    const code = `ACQ-CB${randomUUID().slice(0, 6).toUpperCase()}`;
    const name = `Circuit ${code}`;
    const acquirer = await db.acquirer.create({ data: { code, name, brands: ['VISA'], gatewayUrl: 'http://127.0.0.1:9/set' } });
    const openedAt = new Date(Date.now() - 10_000);
    await db.acquirerCircuit.create({
      data: { acquirerId: acquirer.id, instance: 'app-b', state: 'CLOSED', since: new Date(Date.now() - 3_600_000), failures: 0, openedCount: 0, updatedAt: new Date(Date.now() - 60_000) },
    });
    await db.acquirerCircuit.create({
      data: { acquirerId: acquirer.id, instance: 'app-a', state: 'OPEN', since: openedAt, failures: 5, lastFailureAt: openedAt, lastFailure: 'connection refused', openedCount: 2, updatedAt: new Date() },
    });

    await signIn(page, stackInfo().logins.operator, 'operator');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.goto('/operator/acquirers');
    // The table's cell: the latest state in words, and that only one of two instances has it.
    const summary = page.getByTestId(`circuit-${code}`);
    await expect(summary).toContainText('Open: payments refused');
    await expect(summary).toContainText('not closed on 1 of 2 instances');

    const region = page.getByRole('region', { name: 'Gateway circuit breakers' });
    const table = region.getByRole('table', { name: `Circuit breakers of ${name}, per app instance` });
    await expect(table.getByRole('columnheader')).toHaveText(['Instance', 'State', 'Since', 'Failures in a row', 'Last failure', 'Trial allowed from', 'Times opened', 'Recorded']);
    const open = table.getByRole('row').filter({ hasText: 'app-a' });
    await expect(open).toContainText('Open: payments refused');
    await expect(open).toContainText('connection refused');
    await expect(open.getByRole('cell').nth(3)).toHaveText('5');
    await expect(open.getByRole('cell').nth(6)).toHaveText('2');
    await expect(table.getByRole('row').filter({ hasText: 'app-b' })).toContainText('Closed: payments go through');
  });
});
