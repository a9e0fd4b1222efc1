import { randomUUID } from 'node:crypto';
import { alertBox, expect, signIn, test, waitForMail } from './fixtures';

test('a store signs up, confirms its e-mail through the link that arrives, and signs in', async ({ page, db }) => {
  const suffix = randomUUID().slice(0, 8);
  const email = `new-owner-${suffix}@e2e.test`;
  const password = `a-long-password-${suffix}`;
  const storeName = `Tsuki Tea ${suffix}`;

  await page.goto('/signup');
  await page.getByLabel('Store name').fill(storeName);
  await page.getByLabel('Your name').fill('Aoi Tanaka');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill(password);
  const card = page.getByRole('group', { name: 'Aozora Card Services' });
  await card.getByLabel('Merchant number').fill(`M-E2E-${suffix}`);
  await card.getByLabel('PIN').fill('1234');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible();

  // Not usable before the address is confirmed.
  await signIn(page, { email, password });
  await expect(alertBox(page, 'error')).toContainText('Confirm your e-mail address first');

  const mail = await waitForMail(email, /Confirm your e-mail/);
  const link = /https?:\/\/\S+\/verify-email\?token=[A-Za-z0-9_%-]+/.exec(mail.text)?.[0];
  expect(link).toBeTruthy();
  const url = new URL(link!);
  await page.goto(`${url.pathname}${url.search}`);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(page).toHaveURL(/\/login\?verified=1/);
  await expect(alertBox(page)).toContainText('Your e-mail address is confirmed');

  await signIn(page, { email, password });
  await expect(page.getByTestId('store-name')).toHaveText(storeName);

  // The link works once.
  await page.goto(`${url.pathname}${url.search}`);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(alertBox(page, 'error')).toContainText('not valid or was already used');

  const store = await db.store.findFirstOrThrow({ where: { contactEmail: email }, include: { contracts: true } });
  expect(store.status).toBe('PENDING');
  expect(store.contracts.map((contract) => contract.merchantNumber)).toEqual([`M-E2E-${suffix}`.toUpperCase()]);
});

test('sign-up refuses bad input beside each field, keeps what was typed, and creates nothing', async ({ page, db }) => {
  const email = `short-${randomUUID().slice(0, 8)}@e2e.test`;
  await page.goto('/signup');
  await page.getByLabel('Store name').fill('Short Password Shop');
  await page.getByLabel('Your name').fill('Ren');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password').fill('too-short');
  // Half an acquirer row: a merchant number without its PIN.
  const card = page.getByRole('group', { name: 'Aozora Card Services' });
  await card.getByLabel('Merchant number').fill('M-HALF-0001');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');
  await expect(card.getByText('Enter the PIN you register for this merchant number.')).toBeVisible();
  await expect(card.getByLabel('PIN')).toHaveAttribute('aria-invalid', 'true');
  await expect(card.getByLabel('Merchant number')).toHaveValue('M-HALF-0001');
  await expect(page.getByLabel('Store name')).toHaveValue('Short Password Shop');
  expect(await db.storeUser.count({ where: { email } })).toBe(0);
  expect(await db.outboxMessage.count({ where: { payload: { path: ['to'], equals: email } } })).toBe(0);
});
