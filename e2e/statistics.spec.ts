import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, signIn, stackInfo, test } from './fixtures';

/**
 * The statistics dashboards over the demo's seeded payment history (lib/seed/seed-demo-history.ts, about
 * 60 days of payments for Sakura Books and Kumo Coffee, rolled up when the stack was seeded).
 */

function demoStore(name: string) {
  const store = stackInfo().logins.stores.find((candidate) => candidate.storeName === name);
  if (!store) throw new Error(`the demo store ${name} is not seeded`);
  return store;
}

/** Each chart is a figure named by its caption, with the chart's SVG drawn inside. */
async function expectCharts(page: Page, names: string[]) {
  for (const name of names) {
    const figure = page.getByRole('figure', { name });
    await expect(figure).toHaveAttribute('data-empty', 'false');
    await expect(figure.locator('svg.recharts-surface').first()).toBeVisible();
    // Drawn with data: bars or a line, not just axes.
    await expect(figure.locator('.recharts-bar-rectangle, .recharts-line-curve').first()).toBeAttached();
  }
}

test('the operator reads the statistics with charts over the seeded payments, filters by brand and downloads the CSV', async ({ page }) => {
  await signIn(page, stackInfo().logins.operator, 'operator');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.getByRole('link', { name: 'Statistics' }).first().click();
  await expect(page).toHaveURL(/\/operator\/statistics$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Statistics' })).toBeVisible();

  const authorizations = Number(await page.getByTestId('total-authorizations').textContent());
  expect(authorizations).toBeGreaterThan(100);
  await expect(page.getByTestId('approval-rate')).toHaveText(/^\d{1,3}\.\d%$/);
  await expectCharts(page, ['Authorisations and declines per day', 'Amounts per day (JPY)', 'Amounts per day (USD)', 'Declines by reason']);
  // Other browser tests may add payments of their own; the demo's acquirers and brands are there whatever they do.
  for (const acquirer of ['Aozora Card Services', 'Fuji JCB Acquiring', 'Minato Bank Transfers']) await expect(page.getByTestId('by-acquirer-row').filter({ hasText: acquirer })).toHaveCount(1);
  for (const brand of ['VISA', 'MASTER', 'JCB', 'BANK']) await expect(page.getByTestId('by-brand-row').filter({ hasText: brand })).toHaveCount(1);
  await expect(page.getByTestId('top-stores-row').filter({ hasText: 'Sakura Books' })).not.toHaveCount(0);

  await page.getByRole('combobox', { name: 'Brand' }).selectOption('JCB');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/brand=JCB/);
  await expect(page.getByTestId('by-brand-row')).toHaveCount(1);
  await expect(page.getByTestId('by-brand-row')).toContainText('JCB');
  const jcbAuthorizations = Number(await page.getByTestId('total-authorizations').textContent());
  expect(jcbAuthorizations).toBeGreaterThan(0);
  expect(jcbAuthorizations).toBeLessThan(authorizations);
  await expectCharts(page, ['Authorisations and declines per day', 'Amounts per day (JPY)']);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^statistics-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile((await download.path())!, 'utf8')).split('\r\n').filter(Boolean);
  expect(lines[0]).toBe('day,acquirer,brand,currency,authorizations,authorizations_amount,declines,declines_amount,captures,captures_amount,voids,voids_amount,refunds,refunds_amount');
  expect(lines.length).toBeGreaterThan(1);
  // The export has the page's filter: JCB only, and its authorisations add up to the page's total.
  expect(lines.slice(1).every((line) => line.split(',')[2] === 'JCB')).toBe(true);
  expect(lines.slice(1).reduce((sum, line) => sum + Number(line.split(',')[4]), 0)).toBe(jcbAuthorizations);
});

test('a store owner sees their own store’s statistics with charts, and another store’s is not found', async ({ page }) => {
  const sakura = demoStore('Sakura Books');
  const kumo = demoStore('Kumo Coffee');
  await signIn(page, sakura);
  await expect(page).toHaveURL(new RegExp(`/console/stores/${sakura.storeId}$`));
  await page.getByRole('link', { name: 'Statistics' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/console/stores/${sakura.storeId}/statistics$`));
  await expect(page.getByRole('heading', { level: 1, name: 'Statistics' })).toBeVisible();
  expect(Number(await page.getByTestId('total-authorizations').textContent())).toBeGreaterThan(0);
  await expectCharts(page, ['Authorisations and declines per day', 'Amounts per day (JPY)', 'Declines by reason']);
  await expect(page.getByTestId('by-pos-row').filter({ hasText: 'Web shop' })).toHaveCount(1);
  // Sakura Books takes cards only: its acquirers, never Kumo Coffee's bank transfers.
  await expect(page.getByTestId('by-brand-row').filter({ hasText: 'BANK' })).toHaveCount(0);

  const foreign = await page.goto(`/console/stores/${kumo.storeId}/statistics`);
  expect(foreign?.status()).toBe(404);
  const foreignExport = await page.request.get(`/console/stores/${kumo.storeId}/statistics/export`);
  expect(foreignExport.status()).toBe(404);
});
