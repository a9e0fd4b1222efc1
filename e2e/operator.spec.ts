import { expect, seedStore, signIn, stackInfo, test } from './fixtures';

test.describe('operator console', () => {
  test('the operator finds a store by name, sees the acquirers and the audit log', async ({ page, db }) => {
    const store = await seedStore(db, { name: `Operator Search ${Date.now()}` });
    await signIn(page, stackInfo().logins.operator, 'operator');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();

    await page.getByRole('link', { name: 'Stores' }).first().click();
    await page.getByLabel('Name or e-mail').fill(store.storeName);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(/\/operator\/stores\?q=/);
    const rows = page.locator('tbody tr');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(store.storeName);
    await expect(rows.first()).toContainText(store.email);

    await page.getByLabel('Name or e-mail').fill('no store is called this');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page.getByTestId('empty-state')).toContainText('No stores found');

    const acquirerCount = await db.acquirer.count();
    await page.getByRole('link', { name: 'Acquirers' }).first().click();
    await expect(page.getByTestId('acquirers-table').locator('tbody tr')).toHaveCount(acquirerCount);

    // The operator's own sign-in is in the audit log.
    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await page.getByLabel('Action starts with').fill('auth.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page.locator('tbody tr').first()).toContainText('auth.');
  });

  test('a signed-out visitor to an operator page is sent to the operator sign-in and back', async ({ page }) => {
    await page.goto('/operator/audit');
    await expect(page).toHaveURL(/\/login\?.*as=operator/);
    const operator = stackInfo().logins.operator;
    await page.getByLabel('E-mail address').fill(operator.email);
    await page.getByLabel('Password').fill(operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/operator\/audit$/);
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  });
});
