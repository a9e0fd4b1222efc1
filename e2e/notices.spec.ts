import { randomUUID } from 'node:crypto';
import { alertBox, expect, seedStore, signIn, stackInfo, test } from './fixtures';

test.describe('notices', () => {
  const suffix = randomUUID().slice(0, 8);
  const noticeTitle = `Bank transfer maintenance ${suffix}`;
  const panelTitle = `Exchange rates ${suffix}`;
  const panelUrl = `https://rates.example/jpy?run=${suffix}`;

  // Whatever happens in the test, its notices stop showing on other specs' store pages.
  test.afterEach(async ({ db }) => {
    await db.notice.updateMany({ where: { title: { in: [noticeTitle, panelTitle] }, withdrawnAt: null }, data: { withdrawnAt: new Date() } });
  });

  test('the operator publishes a notice for one acquirer’s stores and an information panel for all; a store sees both and dismisses the notice', async ({ page, db }) => {
    const [bank, jcb] = await Promise.all([db.acquirer.findUniqueOrThrow({ where: { code: 'ACQ-BANK' } }), db.acquirer.findUniqueOrThrow({ where: { code: 'ACQ-JCB' } })]);
    const ofBank = await seedStore(db, { name: `Notice Bank Store ${suffix}` });
    const ofJcb = await seedStore(db, { name: `Notice JCB Store ${suffix}` });
    await db.acquirerContract.create({ data: { storeId: ofBank.storeId, acquirerId: bank.id, merchantNumber: `B-NOTICE-${suffix}`, status: 'VERIFIED', verifiedAt: new Date() } });
    await db.acquirerContract.create({ data: { storeId: ofJcb.storeId, acquirerId: jcb.id, merchantNumber: `J-NOTICE-${suffix}`, status: 'VERIFIED', verifiedAt: new Date() } });

    // The operator publishes; a panel without its link is refused beside the field.
    await signIn(page, stackInfo().logins.operator, 'operator');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.getByRole('link', { name: 'Notices' }).first().click();
    await expect(page.getByRole('heading', { name: 'Notices', level: 1 })).toBeVisible();
    const form = page.getByRole('form', { name: 'Publish a notice' });

    await form.getByLabel('Kind').selectOption('INFORMATION');
    await form.getByLabel('Title', { exact: true }).fill(panelTitle);
    await form.getByLabel('Text', { exact: true }).fill('Today’s reference rates.');
    await form.getByRole('button', { name: 'Publish' }).click();
    await expect(form.getByText('An information panel needs the link to its service.')).toBeVisible();
    await expect(form.getByLabel('Link', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await form.getByLabel('Link', { exact: true }).fill(panelUrl);
    await form.getByRole('button', { name: 'Publish' }).click();
    await expect(alertBox(page, 'success')).toContainText(`Published “${panelTitle}” to all stores`);

    await form.getByLabel('Title', { exact: true }).fill(noticeTitle);
    await form.getByLabel('Text', { exact: true }).fill('Bank transfers pause tonight.\nCard payments are not affected.');
    await form.getByLabel(/Stores of these acquirers/).check();
    await form.getByLabel(bank.name).check();
    await form.getByRole('button', { name: 'Publish' }).click();
    await expect(alertBox(page, 'success')).toContainText(`Published “${noticeTitle}” to the stores of ${bank.name}`);

    const table = page.getByTestId('notices-table');
    const noticeRow = table.locator('tbody tr', { hasText: noticeTitle });
    const panelRow = table.locator('tbody tr', { hasText: panelTitle });
    await expect(noticeRow).toContainText(`Stores of ${bank.name}`);
    await expect(noticeRow).toContainText('Live');
    await expect(panelRow).toContainText('All stores');
    await expect(panelRow).toContainText('Information panel');

    // A store of that acquirer sees both at the top of its overview, the panel's link opening a new tab.
    await page.context().clearCookies();
    await signIn(page, ofBank);
    await expect(page.getByTestId('store-name')).toHaveText(ofBank.storeName);
    await page.goto(`/console/stores/${ofBank.storeId}`);
    const notice = page.getByRole('article', { name: noticeTitle });
    const panel = page.getByRole('article', { name: panelTitle });
    await expect(notice).toContainText('Bank transfers pause tonight.');
    await expect(notice).toHaveAttribute('data-kind', 'NOTICE');
    await expect(panel).toHaveAttribute('data-kind', 'INFORMATION');
    await expect(panel).toContainText('Information');
    const link = panel.getByRole('link', { name: /Open rates\.example/ });
    await expect(link).toHaveAttribute('href', panelUrl);
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');

    // Other store pages carry a one-line reminder.
    await page.getByRole('link', { name: 'Payments' }).first().click();
    await expect(page.getByTestId('notice-banner')).toContainText(noticeTitle);

    // Dismissed, the notice stays gone after a reload; the panel remains.
    await page.goto(`/console/stores/${ofBank.storeId}`);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
    await page.reload();
    await expect(panel).toBeVisible();
    await expect(notice).toHaveCount(0);
    await page.getByRole('link', { name: 'Payments' }).first().click();
    await expect(page.getByTestId('notice-banner')).toContainText(panelTitle);
    await expect(page.getByTestId('notice-banner')).not.toContainText(noticeTitle);

    // A store of another acquirer sees the panel, not the notice.
    await page.context().clearCookies();
    await signIn(page, ofJcb);
    await expect(page.getByTestId('store-name')).toHaveText(ofJcb.storeName);
    await page.goto(`/console/stores/${ofJcb.storeId}`);
    await expect(page.getByRole('article', { name: panelTitle })).toBeVisible();
    await expect(page.getByRole('article', { name: noticeTitle })).toHaveCount(0);

    // The operator sees who dismissed what, and withdraws both.
    await page.context().clearCookies();
    await signIn(page, stackInfo().logins.operator, 'operator');
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.goto('/operator/notices');
    await expect(noticeRow.getByTestId('notice-dismissals')).toHaveText('1 store');
    await expect(panelRow.getByTestId('notice-dismissals')).toHaveText('0 stores');
    for (const row of [noticeRow, panelRow]) {
      await row.getByRole('button', { name: 'Withdraw' }).click();
      await expect(row).toContainText('Withdrawn');
      await expect(row.getByRole('button', { name: 'Withdraw' })).toHaveCount(0);
    }
    expect(await db.notice.count({ where: { title: { in: [noticeTitle, panelTitle] }, withdrawnAt: null } })).toBe(0);
  });
});
