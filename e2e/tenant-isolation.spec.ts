import { alertBox, expect, seedStore, signIn, test } from './fixtures';

test.describe('tenant isolation', () => {
  test('store A’s user gets 404 on every page of store B, and store B is unchanged', async ({ page, db }) => {
    const storeA = await seedStore(db);
    const storeB = await seedStore(db);
    const before = await db.store.findUniqueOrThrow({ where: { id: storeB.storeId } });

    await signIn(page, storeA);
    await expect(page.getByTestId('store-name')).toHaveText(storeA.storeName);

    for (const suffix of ['', '/poses', '/certificates', '/payments', '/settlements', '/statistics', '/webhooks', '/affiliates', '/settings']) {
      const response = await page.goto(`/console/stores/${storeB.storeId}${suffix}`);
      expect(response?.status(), `GET /console/stores/B${suffix}`).toBe(404);
      await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
      await expect(page.getByText(storeB.storeName)).toHaveCount(0);
    }
    // The CSV exports are routes of their own: store B's are not found either, and say nothing about B.
    for (const exportPath of ['/payments/export', '/statistics/export']) {
      const exported = await page.request.get(`/console/stores/${storeB.storeId}${exportPath}`);
      expect(exported.status(), `GET /console/stores/B${exportPath}`).toBe(404);
      expect(await exported.text()).not.toContain(storeB.storeName);
    }
    // A store id that does not exist at all looks exactly the same.
    const missing = await page.goto('/console/stores/00000000-0000-4000-8000-000000000000');
    expect(missing?.status()).toBe(404);

    // Store A's own settings form, with store B's id swapped in, changes nothing at B.
    await page.goto(`/console/stores/${storeA.storeId}/settings`);
    const profileForm = page.locator('form').filter({ has: page.getByLabel('Store name') });
    await profileForm.locator('input[name="storeId"]').evaluate((input, id) => ((input as HTMLInputElement).value = id), storeB.storeId);
    await page.getByLabel('Store name').fill('Taken over');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Saved.')).toHaveCount(0);
    // So does its settlement e-mail switch.
    await page.goto(`/console/stores/${storeA.storeId}/settings`);
    const emailForm = page.locator('form').filter({ has: page.getByRole('button', { name: 'Save e-mail setting' }) });
    await emailForm.locator('input[name="storeId"]').evaluate((input, id) => ((input as HTMLInputElement).value = id), storeB.storeId);
    await page.getByLabel('E-mail me each completed capture, void and refund').uncheck();
    await page.getByRole('button', { name: 'Save e-mail setting' }).click();
    // The action answers as for a page of another store: not found.
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();

    const after = await db.store.findUniqueOrThrow({ where: { id: storeB.storeId } });
    expect(after).toEqual(before);
    expect(await db.auditEvent.count({ where: { storeId: storeB.storeId, action: 'store.profile_updated' } })).toBe(0);
    const ownStore = await db.store.findUniqueOrThrow({ where: { id: storeA.storeId } });
    expect(ownStore.name).toBe(storeA.storeName);
  });

  test('a store user gets 404 in the operator console', async ({ page, db }) => {
    const store = await seedStore(db);
    await signIn(page, store);
    await expect(page.getByTestId('store-name')).toHaveText(store.storeName);
    const response = await page.goto('/operator');
    expect(response?.status()).toBe(404);
  });

  test('the store owner saves its own settings and sees the new version', async ({ page, db }) => {
    const store = await seedStore(db);
    await signIn(page, store);
    // Wait for the sign-in to land before navigating, or its redirect overtakes ours.
    await expect(page.getByTestId('store-name')).toHaveText(store.storeName);
    await page.goto(`/console/stores/${store.storeId}/settings`);
    await page.getByLabel('Store name').fill(`${store.storeName} Annex`);
    await page.getByLabel('Certificate alert threshold (days)').fill('45');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(alertBox(page)).toContainText('Saved. This is version 2');
    await expect(page.getByTestId('store-name')).toHaveText(`${store.storeName} Annex`);
    const saved = await db.store.findUniqueOrThrow({ where: { id: store.storeId } });
    expect(saved.certificateAlertDays).toBe(45);
    expect(saved.storeInfoVersion).toBe(2);

    await page.getByLabel('Certificate alert threshold (days)').fill('9999');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Use 365 days or fewer.')).toBeVisible();
    expect((await db.store.findUniqueOrThrow({ where: { id: store.storeId } })).storeInfoVersion).toBe(2);
  });
});
