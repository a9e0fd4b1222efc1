import type { Page } from '@playwright/test';
import { alertBox, expect, seedStore, signIn, stackInfo, test } from './fixtures';

/**
 * The pages under their Content-Security-Policy in a real browser: they render and their scripts run (forms
 * answer, charts draw) without one violation; the store registers the sites that may embed its checkout;
 * the sign-in form says when sign-ins are rate-limited. The headers themselves, the foreign-origin refusal
 * and the limits are proved in reliability/web-security.rel.test.ts.
 */

/** Every Content Security Policy complaint the page logs. */
function cspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  return violations;
}

test('the console’s pages run under the policy without a violation, and the store registers the sites that may embed its checkout', async ({ page, db }) => {
  const violations = cspViolations(page);
  const store = await seedStore(db);
  await page.goto('/');
  await page.goto('/signup');
  await page.goto('/forgot-password');
  await signIn(page, store);
  await expect(page.getByTestId('store-name')).toHaveText(store.storeName);
  for (const section of ['payments', 'statistics', 'certificates', 'poses', 'audit']) {
    await page.goto(`/console/stores/${store.storeId}/${section}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }

  await page.goto(`/console/stores/${store.storeId}/settings`);
  const origins = page.getByLabel('Sites that may embed your checkout');
  await origins.fill('https://shop.example/checkout');
  await page.getByRole('button', { name: 'Save embedding sites' }).click();
  await expect(page.getByText('https://shop.example/checkout: Only the origin: no path, query or fragment.')).toBeVisible();
  await origins.fill('https://shop.example\nhttp://localhost:8080');
  await page.getByRole('button', { name: 'Save embedding sites' }).click();
  await expect(alertBox(page, 'success')).toHaveText('Saved: these 2 sites may embed your checkout.');
  expect((await db.store.findUniqueOrThrow({ where: { id: store.storeId } })).checkoutFrameOrigins).toEqual(['https://shop.example', 'http://localhost:8080']);
  await page.reload();
  await expect(origins).toHaveValue('https://shop.example\nhttp://localhost:8080');

  await page.goto(`/console/stores/${store.storeId}/audit`);
  await expect(page.getByText('Sites allowed to embed the checkout changed')).toBeVisible();
  expect(violations).toEqual([]);
});

test('the operator console runs under the policy without a violation, charts included', async ({ page }) => {
  const violations = cspViolations(page);
  await signIn(page, stackInfo().logins.operator, 'operator');
  await expect(page).toHaveURL(/\/operator$/);
  for (const section of ['stores', 'acquirers', 'statistics', 'audit']) {
    await page.goto(`/operator/${section}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  }
  // The statistics page's charts are drawn by script (Recharts) after hydration.
  await page.goto('/operator/statistics');
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  expect(violations).toEqual([]);
});

test('the sign-in form says when sign-ins from this address are rate-limited', async ({ page, db }) => {
  // An address of its own, as a reverse proxy would name it, so no other test's sign-ins are limited.
  const address = '203.0.113.77';
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': address });
  const store = await seedStore(db);
  const csrf = (await (await page.request.get('/api/auth/csrf', { headers: { 'x-forwarded-for': address } })).json()) as { csrfToken: string };
  for (let attempt = 0; attempt < 30; attempt++) {
    await page.request.post('/api/auth/callback/store', {
      headers: { 'x-forwarded-for': address, origin: new URL(stackInfo().appUrl).origin },
      form: { csrfToken: csrf.csrfToken, email: `nobody-${attempt}@e2e.test`, password: 'guess', json: 'true' },
    });
  }
  await signIn(page, store);
  await expect(alertBox(page, 'error')).toHaveText('Too many failed sign-ins from here or for this address. Please wait, then try again (at most 15 minutes).');
  await page.goto(`/console/stores/${store.storeId}`);
  await expect(page).toHaveURL(/\/login\?/);
});
