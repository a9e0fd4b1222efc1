import { randomUUID } from 'node:crypto';
import { alertBox, expect, seedStore, signIn, stackInfo, test } from './fixtures';

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

  test('the operator adds an acquirer, edits it, sees its gateway certificates, and issues an API credential whose secret shows once', async ({ page, db }) => {
    const code = `ACQ-E2E${randomUUID().slice(0, 6).toUpperCase()}`;
    await signIn(page, stackInfo().logins.operator, 'operator');
    await page.getByRole('link', { name: 'Acquirers' }).first().click();
    const before = await db.acquirer.count();

    const add = page.getByRole('form', { name: 'Add an acquirer' });
    await add.getByLabel('Code').fill(code);
    await add.getByLabel('Name').fill(`Kumo ${code}`);
    await add.getByLabel('Gateway URL').fill('ftp://nowhere.example/set');
    await add.getByLabel('VISA').check();
    await add.getByRole('button', { name: 'Add acquirer' }).click();
    // Refused with the field marked; what was typed stays.
    await expect(add.getByText('Use an absolute URL starting with https:// or http://.')).toBeVisible();
    await expect(add.getByLabel('Code')).toHaveValue(code);
    await expect(add.getByLabel('VISA')).toBeChecked();
    expect(await db.acquirer.count()).toBe(before);

    // Nothing listens on port 9: the page must still render and say so.
    await add.getByLabel('Gateway URL').fill('http://127.0.0.1:9/set');
    await add.getByRole('button', { name: 'Add acquirer' }).click();
    await expect(alertBox(page, 'success')).toContainText(`Added Kumo ${code} (${code})`);
    const row = page.getByTestId(`acquirer-${code}`);
    await expect(row).toContainText('VISA');
    await expect(page.getByTestId('acquirers-table').locator('tbody tr')).toHaveCount(before + 1);

    // The same code again, in lower case: a conflict.
    await add.getByLabel('Code').fill(code.toLowerCase());
    await add.getByLabel('Name').fill('Someone else');
    await add.getByLabel('Gateway URL').fill('https://gateway.example/set');
    await add.getByLabel('MASTER').check();
    await add.getByRole('button', { name: 'Add acquirer' }).click();
    await expect(alertBox(page, 'error')).toContainText('Check the field marked below.');
    await expect(add.getByText(`${code} is taken.`)).toBeVisible();

    await row.getByRole('link', { name: `Kumo ${code}` }).click();
    await expect(page.getByRole('heading', { name: `Kumo ${code}` })).toBeVisible();
    await expect(page.getByTestId('gateway-certificates-problem')).toContainText('The gateway cannot be reached.');

    const settings = page.getByRole('form', { name: 'Acquirer settings' });
    await settings.getByLabel('JCB').check();
    await settings.getByLabel('Status').selectOption('DISABLED');
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect(alertBox(page, 'success')).toContainText(`Saved Kumo ${code}.`);
    await expect.poll(async () => (await db.acquirer.findUniqueOrThrow({ where: { code } })).brands).toEqual(['VISA', 'JCB']);
    expect((await db.acquirer.findUniqueOrThrow({ where: { code } })).status).toBe('DISABLED');

    await page.getByLabel('Credential label').fill('Back office');
    await page.getByRole('button', { name: 'Issue credential' }).click();
    const secret = (await page.getByTestId('new-credential-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(page.getByTestId('credentials-table').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('credentials-table')).toContainText('Back office');
    expect(page.url()).not.toContain(secret);
    // Only a hash is kept, and the page never shows the secret again.
    const stored = await db.acquirerApiCredential.findFirstOrThrow({ where: { acquirer: { code } } });
    expect(stored.secretHash).not.toContain(secret);
    await page.reload();
    await expect(page.getByTestId('credentials-table')).toContainText(stored.credentialId);
    await expect(page.getByTestId('new-credential-secret')).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);

    // Rotating shows the new secret once; the old credential keeps working for 24 hours.
    await page.getByRole('button', { name: `Rotate Back office (${stored.credentialId})` }).click();
    const rotated = (await page.getByTestId('new-credential-secret').textContent())?.trim() ?? '';
    expect(rotated).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated).not.toBe(secret);
    await expect(page.getByTestId('new-credential-notice')).toContainText('keeps working until');
    await expect(page.getByTestId('credentials-table').locator('tbody tr')).toHaveCount(2);
  });

  test('an acquirer’s page shows the chains its running gateway publishes', async ({ page, db }) => {
    const acquirer = await db.acquirer.findUniqueOrThrow({ where: { code: 'ACQ-CARD' } });
    await signIn(page, stackInfo().logins.operator, 'operator');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.goto(`/operator/acquirers/${acquirer.id}`);
    for (const chain of ['signature', 'keyExchange']) {
      const table = page.getByTestId(`gateway-chain-${chain}`);
      await expect(table.locator('tbody tr').first()).toContainText('gateway');
      await expect(table.locator('tbody tr').first()).toContainText('days');
    }
    await expect(page.getByTestId('bin-ranges-ACQ-CARD')).toBeVisible();
  });

  test('the operator opens a store, suspends and resumes it, and finds both in the audit log by actor type', async ({ page, db }) => {
    const store = await seedStore(db, { name: `Operator Detail ${Date.now()}` });
    await signIn(page, stackInfo().logins.operator, 'operator');
    await page.getByRole('link', { name: 'Stores' }).first().click();
    await page.getByLabel('Name or e-mail').fill(store.storeName);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: store.storeName }).click();
    await expect(page).toHaveURL(new RegExp(`/operator/stores/${store.storeId}$`));
    await expect(page.getByRole('heading', { name: store.storeName })).toBeVisible();
    await expect(page.getByText(store.email).first()).toBeVisible();

    // Without the tick nothing happens.
    await page.getByLabel('Reason').fill('Chargeback spike under review');
    await page.getByRole('button', { name: 'Suspend processing' }).click();
    await expect(page.getByText('Tick the box to confirm that processing stops.')).toBeVisible();
    expect((await db.store.findUniqueOrThrow({ where: { id: store.storeId } })).status).toBe('ACTIVE');

    await page.getByLabel('I understand that every acquirer stops processing').check();
    await page.getByRole('button', { name: 'Suspend processing' }).click();
    await expect(page.getByTestId('suspension')).toContainText('Suspended by the operator');
    await expect(page.getByTestId('suspension')).toContainText('Chargeback spike under review');
    expect(await db.store.findUniqueOrThrow({ where: { id: store.storeId } })).toMatchObject({ status: 'SUSPENDED', suspendedBy: 'OPERATOR' });
    await expect(page.getByTestId('store-audit-events')).toContainText('store.suspended');

    await page.getByRole('button', { name: 'Resume processing' }).click();
    await expect(page.getByTestId('suspension')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Suspend processing' })).toBeVisible();
    expect((await db.store.findUniqueOrThrow({ where: { id: store.storeId } })).status).toBe('ACTIVE');

    await page.getByRole('link', { name: 'The store’s whole audit log' }).click();
    await page.getByLabel('Actor type').selectOption('OPERATOR');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/actorType=OPERATOR/);
    const rows = page.getByTestId('audit-events').locator('tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('store.resumed');
    await expect(rows.nth(1)).toContainText('store.suspended');
    for (const actor of await page.getByTestId('audit-actor').allTextContents()) expect(actor).toContain('Operator');

    // A mistyped filter is left out with a message, never an error page.
    await page.goto(`/operator/audit?storeId=${store.storeId}&actorType=ROOT&from=2024-13-45`);
    await expect(page.getByTestId('ignored-filters')).toContainText('The actor type is not one of the list.');
    await expect(page.getByTestId('audit-events').locator('tbody tr')).toHaveCount(2);
  });

  test('an unknown or malformed store or acquirer id is the not-found page; certificate expiry renders every window', async ({ page }) => {
    await signIn(page, stackInfo().logins.operator, 'operator');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    for (const path of [`/operator/stores/${randomUUID()}`, '/operator/stores/not-a-store', `/operator/acquirers/${randomUUID()}`, '/operator/acquirers/1%27']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    }
    for (const window of ['Within 7 days', 'Within 30 days', 'Within 90 days', 'Expired']) {
      await page.goto('/operator/certificates');
      await page.getByRole('link', { name: window }).click();
      await expect(page.getByRole('link', { name: window })).toHaveAttribute('aria-current', 'page');
      await expect(page.getByTestId('certificate-count')).toBeVisible();
    }
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
