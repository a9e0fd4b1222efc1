import { randomUUID } from 'node:crypto';
import { hashPassword } from '../lib/auth/password';
import { hashPin } from '../lib/auth/pin';
import { alertBox, enrolInBrowser, expect, registerWebShop, signIn, stackInfo, test, waitForMail } from './fixtures';

/**
 * The life of a store, in a real browser against the whole system: enrolment
 * at two acquirers (verified by the simulated acquirers), registration with
 * the acquisition numbers from the e-mails (certificates issued by the
 * simulated CA, valid for minutes, so the expiry banner shows), renew all with
 * progress, a change of store information reaching an acquirer, suspension by
 * the store, partial and then full withdrawal.
 */

const CARD = { code: 'ACQ-CARD', name: 'Aozora Card Services' };
const JCB = { code: 'ACQ-JCB', name: 'Fuji JCB Acquiring' };

/** The acquirer's own record of the merchant (its back office view). */
async function merchantAtAcquirer(acquirerCode: string, merchantNumber: string) {
  const admin = stackInfo().simulators.acquirers[acquirerCode]!.adminUrl;
  const { merchants } = (await (await fetch(`${admin}/merchants`)).json()) as { merchants: { merchantNumber: string; status: string; info: { version: number; phone?: string } }[] };
  return merchants.find((merchant) => merchant.merchantNumber === merchantNumber);
}

test('a store from enrolment to withdrawal', async ({ page, db, request }) => {
  test.setTimeout(240_000);
  const suffix = randomUUID().slice(0, 8).toUpperCase();
  const storeName = `Walkthrough Books ${suffix}`;
  const email = `walkthrough-${suffix.toLowerCase()}@e2e.test`;
  const password = `walkthrough-password-${suffix}`;
  const cardNumber = `M-WALK-${suffix}`;
  const jcbNumber = `J-WALK-${suffix}`;

  // 1. Enrolment: the store's details and its two acquirers, each verified by the acquirer.
  const { storeId } = await enrolInBrowser(page, {
    storeName,
    email,
    password,
    contracts: [
      [CARD, cardNumber, '2468'],
      [JCB, jcbNumber, '1357'],
    ],
  });
  // Each acquirer's answer arrives by e-mail, with the one-time certificate acquisition number.
  for (const acquirer of [CARD, JCB]) await waitForMail(email, new RegExp(`${acquirer.name} verified your store`), 30_000);
  await page.getByRole('link', { name: 'Acquirers', exact: true }).click();
  await expect(page.getByTestId('contract-row').filter({ hasText: CARD.name })).toContainText('Verified');
  await expect(page.getByTestId('contract-row').filter({ hasText: JCB.name })).toContainText('Verified');

  // 2–3. Registration: the POS gets its certificates from the CA with the numbers from the e-mails.
  for (const acquirer of [CARD, JCB]) {
    await registerWebShop(page, { storeId, email, acquirerName: acquirer.name });
    const row = page.getByTestId(`link-Web shop-${acquirer.name}`);
    await expect(row).toContainText('Signature');
    await expect(row).toContainText('Key exchange');
  }
  const issued = await db.certificate.findMany({ where: { storeId, status: 'ACTIVE' } });
  expect(issued).toHaveLength(4);
  expect(issued.every((certificate) => certificate.notAfter.getTime() - Date.now() < 31 * 60_000)).toBe(true);

  // 4. The certificates were issued for 30 minutes: every console page warns.
  await page.getByRole('link', { name: 'Overview', exact: true }).click();
  await expect(page.getByTestId('expiry-banner')).toContainText('4 certificates expire within 30 days');

  // 5. Renew all, with progress and a result per certificate.
  await page.getByRole('link', { name: 'Certificates', exact: true }).click();
  await page.getByRole('button', { name: 'Renew all certificates' }).click();
  await expect(page.getByRole('progressbar', { name: 'Renewal progress' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Last renewal' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('progressbar', { name: 'Renewal progress' })).toHaveAttribute('aria-valuenow', '2');
  await expect(page.getByText('2 of 2 done')).toBeVisible();
  const renewed = await db.certificate.findMany({ where: { storeId, status: 'ACTIVE' } });
  expect(renewed).toHaveLength(4);
  expect(renewed.filter((certificate) => issued.some((old) => old.id === certificate.id))).toEqual([]);
  await expect(page.getByRole('heading', { name: 'Earlier certificates' })).toBeVisible();

  // 6. A change of store information reaches the acquirers.
  await page.getByRole('link', { name: 'Store settings', exact: true }).click();
  await page.getByLabel('Phone').fill('+81 3 1234 5678');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(alertBox(page, 'success')).toContainText('Saved');
  await expect.poll(async () => (await merchantAtAcquirer(CARD.code, cardNumber))?.info.phone, { timeout: 30_000 }).toBe('+81 3 1234 5678');
  await expect.poll(async () => (await merchantAtAcquirer(JCB.code, jcbNumber))?.info.phone, { timeout: 30_000 }).toBe('+81 3 1234 5678');

  // 7. Suspension by the store: everyone is signed out, the POS API says it cannot authorise, resuming needs a new sign-in.
  await page.getByRole('link', { name: 'POSes', exact: true }).click();
  const webShop = page.getByTestId('pos-Web shop');
  await webShop.getByLabel('Key label').fill('Shop server');
  await webShop.getByRole('button', { name: 'Create API key' }).click();
  const apiKey = (await page.getByTestId('new-api-key').textContent())!.trim();
  const before = await request.get('/api/v1/pos/me', { headers: { authorization: `Bearer ${apiKey}` } });
  expect(before.status()).toBe(200);
  expect(await before.json()).toMatchObject({ canAuthorize: true, store: { status: 'ACTIVE' } });

  await page.getByRole('link', { name: 'Security', exact: true }).click();
  await page.getByLabel('Reason').fill('Our password may have leaked.');
  await page.getByLabel(/I understand that every acquirer stops/).check();
  await page.getByRole('button', { name: 'Suspend processing' }).click();
  await expect(page).toHaveURL(/\/login/);
  const suspended = await request.get('/api/v1/pos/me', { headers: { authorization: `Bearer ${apiKey}` } });
  expect(await suspended.json()).toMatchObject({ canAuthorize: false, store: { status: 'SUSPENDED' } });

  await signIn(page, { email, password });
  await expect(page.getByText('Processing is suspended').first()).toBeVisible();
  await page.getByRole('link', { name: 'Security', exact: true }).click();
  await page.getByLabel('Your password').fill(password);
  await page.getByRole('button', { name: 'Resume processing' }).click();
  await expect.poll(async () => (await db.store.findUniqueOrThrow({ where: { id: storeId } })).status).toBe('ACTIVE');

  // 8. Partial withdrawal: from the JCB acquirer only.
  await page.getByRole('link', { name: 'Withdrawal', exact: true }).click();
  await page.getByLabel(new RegExp(JCB.name)).check();
  await page.getByLabel(/I understand: payments through these acquirers stop now/).check();
  await page.getByLabel('Your password').fill(password);
  await page.getByRole('button', { name: 'Withdraw from selected acquirers' }).click();
  await expect(alertBox(page, 'success')).toContainText('Withdrawal from 1 acquirer requested');
  await expect.poll(async () => (await merchantAtAcquirer(JCB.code, jcbNumber))?.status, { timeout: 30_000 }).toBe('withdrawn');
  await expect.poll(async () => (await db.acquirerContract.findFirstOrThrow({ where: { storeId, merchantNumber: jcbNumber } })).status, { timeout: 30_000 }).toBe('WITHDRAWN');
  await expect.poll(async () => db.keyPair.count({ where: { storeId, posAcquirer: { acquirer: { code: JCB.code } }, encryptedPrivateKey: { not: null } } }), { timeout: 30_000 }).toBe(0);
  expect(await db.certificate.count({ where: { storeId, status: 'ACTIVE', posAcquirer: { acquirer: { code: CARD.code } } } })).toBe(2);
  await page.reload();
  await expect(page.getByRole('row', { name: new RegExp(JCB.name) })).toContainText('Withdrawn');

  // 9. Full withdrawal: the store closes once the last acquirer confirms; its records stay readable.
  await page.getByLabel(/I understand: payments through these acquirers stop now/).check();
  await page.getByLabel('Your password').fill(password);
  await page.getByRole('button', { name: 'Withdraw from all acquirers and close the store' }).click();
  // The form goes once nothing is left to withdraw from; the contract shows what happens.
  await expect(page.getByRole('row', { name: new RegExp(CARD.name) })).toContainText(/Withdrawing|Withdrawn/);
  await expect.poll(async () => (await db.store.findUniqueOrThrow({ where: { id: storeId } })).status, { timeout: 30_000 }).toBe('WITHDRAWN');
  // Revocation at the CA, then destruction of the key, follows through the outbox.
  await expect.poll(async () => db.keyPair.count({ where: { storeId, encryptedPrivateKey: { not: null } } }), { timeout: 30_000 }).toBe(0);
  const closed = await request.get('/api/v1/pos/me', { headers: { authorization: `Bearer ${apiKey}` } });
  expect(closed.status()).toBe(401);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Your store has withdrawn' })).toBeVisible();
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await expect(page.locator('[data-action="store.withdrawn"]')).toHaveCount(1);
  await expect(page.locator('[data-action="certificate.renew_all_finished"]')).toHaveCount(1);
});

test('password recovery with the e-mailed link and the merchant number and PIN of one of the store\'s acquirers', async ({ page, db }) => {
  const suffix = randomUUID().slice(0, 8);
  const email = `recover-${suffix}@e2e.test`;
  const merchantNumber = `M-RECOVER-${suffix}`.toUpperCase();
  const store = await db.store.create({ data: { name: `Recovery Shop ${suffix}`, contactEmail: email, status: 'ACTIVE' } });
  await db.storeUser.create({ data: { storeId: store.id, email, name: 'Rin Ito', passwordHash: await hashPassword(`forgotten-password-${suffix}`), emailVerifiedAt: new Date() } });
  const acquirer = await db.acquirer.findUniqueOrThrow({ where: { code: CARD.code } });
  await db.acquirerContract.create({ data: { storeId: store.id, acquirerId: acquirer.id, merchantNumber, status: 'VERIFIED', verifiedAt: new Date(), pinHash: await hashPin('8642') } });

  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  // A client-side navigation: let the new page hydrate, or React may reset what is typed before it submits.
  await page.waitForURL('**/forgot-password');
  await page.waitForLoadState('networkidle');
  await page.getByLabel('E-mail address').fill(email);
  await expect(page.getByLabel('E-mail address')).toHaveValue(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(alertBox(page, 'success')).toBeVisible();

  const mail = await waitForMail(email, /Reset your ServerPOS password/);
  const link = new URL(/https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_%-]+/.exec(mail.text)![0]);
  await page.goto(`${link.pathname}${link.search}`);
  await expect(page.getByText('Choose a new password')).toBeVisible();

  // A wrong PIN is refused without saying which part was wrong.
  const newPassword = `a-brand-new-password-${suffix}`;
  await page.getByLabel('Merchant number').fill(merchantNumber);
  await page.getByLabel('Recovery PIN').fill('0000');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Repeat the new password').fill(newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(alertBox(page, 'error')).toContainText('The merchant number or PIN is not correct.');

  await page.getByLabel('Merchant number').fill(merchantNumber);
  await page.getByLabel('Recovery PIN').fill('8642');
  await page.getByLabel('New password', { exact: true }).fill(newPassword);
  await page.getByLabel('Repeat the new password').fill(newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await waitForMail(email, /Your ServerPOS password was changed/);

  await signIn(page, { email, password: newPassword });
  await expect(page.getByTestId('store-name')).toHaveText(`Recovery Shop ${suffix}`);
});
