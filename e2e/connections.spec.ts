import type { Db } from '../lib/db/client';
import { alertBox, expect, signIn, stackInfo, test } from './fixtures';

/** The simulated acquirer's back office changes its faults (sim/acquirer/faults.ts); DELETE clears them all. */
async function setFaults(acquirerCode: string, change: Record<string, unknown> | null) {
  const admin = stackInfo().simulators.acquirers[acquirerCode]!.adminUrl;
  const response = await fetch(`${admin}/faults`, change ? { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change) } : { method: 'DELETE' });
  expect(response.ok).toBe(true);
}

/** Whether some POS could sign a test exchange with the acquirer: registered, verified contract, a signature certificate in force. */
async function hasRegisteredPos(db: Db, acquirerCode: string): Promise<boolean> {
  const now = new Date();
  const count = await db.posAcquirer.count({
    where: {
      acquirer: { code: acquirerCode },
      status: 'REGISTERED',
      contract: { status: 'VERIFIED' },
      certificates: { some: { status: 'ACTIVE', usage: 'SIGNATURE', notBefore: { lte: now }, notAfter: { gt: now } } },
    },
  });
  return count > 0;
}

test.describe('operator connection tests', () => {
  // The simulators are shared by every spec: never leave one faulty.
  test.afterEach(async () => {
    for (const code of Object.keys(stackInfo().simulators.acquirers)) await setFaults(code, null);
  });

  test('the operator tests every gateway, sees a faulty acquirer failing with the reason and the others OK, then OK again once fixed, with both runs in the history', async ({ page, db }) => {
    // The demo web shop of Sakura Books is registered with ACQ-CARD and ACQ-JCB when the stack starts.
    expect(await hasRegisteredPos(db, 'ACQ-CARD'), 'a registered POS at ACQ-CARD').toBe(true);
    expect(await hasRegisteredPos(db, 'ACQ-JCB'), 'a registered POS at ACQ-JCB').toBe(true);
    const bankHasPos = await hasRegisteredPos(db, 'ACQ-BANK');

    await signIn(page, stackInfo().logins.operator, 'operator');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.getByRole('link', { name: 'Connection tests' }).first().click();
    await expect(page.getByRole('heading', { name: 'Connection tests' })).toBeVisible();

    // The JCB acquirer's gateway stops accepting connections.
    await setFaults('ACQ-JCB', { refuseConnections: true });
    await page.getByRole('button', { name: 'Test all now' }).click();
    await expect(alertBox(page, 'success')).toContainText(/Tested \d+ acquirers/, { timeout: 30_000 });

    const jcb = page.getByTestId('connection-ACQ-JCB');
    await expect(jcb).toContainText('Failing');
    await expect(jcb).toContainText('gateway_unavailable');
    await expect(jcb).toContainText('connection refused');
    await expect(jcb.getByTestId('latency')).toHaveText('—');

    const card = page.getByTestId('connection-ACQ-CARD');
    await expect(card).toContainText('OK');
    await expect(card.getByTestId('latency')).toHaveText(/^\d+ ms$/);
    await expect(card).toContainText('left');
    await expect(card).toContainText('on demand');

    // The bank acquirer: OK when a POS is registered there (other specs may register one), else said plainly.
    const bank = page.getByTestId('connection-ACQ-BANK');
    if (bankHasPos) await expect(bank.getByTestId('latency')).toHaveText(/^\d+ ms$/);
    else await expect(bank).toContainText('no_registered_pos');

    // The fault is cleared and the JCB acquirer tested again on its own.
    await setFaults('ACQ-JCB', null);
    await jcb.getByRole('button', { name: 'Test', exact: true }).click();
    await expect(jcb.locator('[data-slot="alert"][data-variant="success"]')).toContainText(/OK in \d+ ms/, { timeout: 30_000 });
    await expect(jcb).not.toContainText('Failing');
    await expect(jcb.getByTestId('latency')).toHaveText(/^\d+ ms$/);

    // Both runs in the JCB acquirer's history, newest first.
    await page.getByLabel('Acquirer', { exact: true }).selectOption({ label: 'Fuji JCB Acquiring' });
    await page.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(/\/operator\/connections\?acquirer=/);
    // (The worker's scheduled runs may land in between: only the two on-demand ones are looked at.)
    const history = page.getByTestId('connection-history').locator('tbody tr', { hasText: 'on demand' });
    await expect(history.first()).toContainText('OK');
    await expect(history.nth(1)).toContainText('gateway_unavailable');
    await expect(page.getByTestId('connection-history').locator('tbody tr', { hasText: 'Aozora Card Services' })).toHaveCount(0);
  });
});
