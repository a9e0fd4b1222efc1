import { alertBox, expect, seedStore, signIn, stackInfo, test, waitForMail } from './fixtures';

test.describe('signing in', () => {
  test('the printed demo store login opens that store’s console', async ({ page }) => {
    const demo = stackInfo().logins.stores[0]!;
    await signIn(page, demo);
    await expect(page).toHaveURL(new RegExp(`/console/stores/${demo.storeId}$`));
    await expect(page.getByTestId('store-name')).toHaveText(demo.storeName);
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  });

  test('the demo operator login opens the operator console', async ({ page }) => {
    await signIn(page, stackInfo().logins.operator, 'operator');
    await expect(page).toHaveURL(/\/operator$/);
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  });

  test('a wrong password is refused with a message and no session', async ({ page, db }) => {
    const store = await seedStore(db);
    await signIn(page, { email: store.email, password: 'not-the-password-at-all' });
    await expect(alertBox(page, 'error')).toHaveText('E-mail address or password is wrong.');
    await page.goto(`/console/stores/${store.storeId}`);
    await expect(page).toHaveURL(/\/login\?/);
  });

  test('a store user cannot use the operator login', async ({ page, db }) => {
    const store = await seedStore(db);
    await signIn(page, store, 'operator');
    await expect(alertBox(page, 'error')).toHaveText('E-mail address or password is wrong.');
  });

  test('ten failures lock the account for 30 minutes, even against the right password, and the owner is told', async ({ page, db }) => {
    const store = await seedStore(db);
    const failedCount = async () => (await db.storeUser.findUniqueOrThrow({ where: { email: store.email } })).failedLoginCount;
    for (let attempt = 1; attempt <= 9; attempt++) {
      await signIn(page, { email: store.email, password: `wrong-password-${attempt}` });
      await expect(alertBox(page, 'error')).toHaveText('E-mail address or password is wrong.');
      // One attempt at a time: the next starts only when the server has counted this one.
      await expect.poll(failedCount).toBe(attempt);
    }
    await signIn(page, { email: store.email, password: 'wrong-password-10' });
    await expect(alertBox(page, 'error')).toContainText('locked');

    await signIn(page, store);
    await expect(alertBox(page, 'error')).toContainText('locked');
    await expect(page).toHaveURL(/\/login/);

    const user = await db.storeUser.findUniqueOrThrow({ where: { email: store.email } });
    const lockMinutes = (user.lockedUntil!.getTime() - Date.now()) / 60_000;
    expect(lockMinutes).toBeGreaterThan(29);
    expect(lockMinutes).toBeLessThanOrEqual(30);
    const mail = await waitForMail(store.email, /locked/i);
    expect(mail.text).toContain('30 minutes');

    // When the lock has run out, the right password works again.
    await db.storeUser.update({ where: { email: store.email }, data: { lockedUntil: new Date(Date.now() - 1000) } });
    await signIn(page, store);
    await expect(page).toHaveURL(new RegExp(`/console/stores/${store.storeId}$`));
  });
});

test.describe('sessions', () => {
  test('a session idle for 15 minutes ends, and the console asks to sign in again', async ({ page, db }) => {
    const store = await seedStore(db);
    await signIn(page, store);
    await expect(page).toHaveURL(new RegExp(`/console/stores/${store.storeId}$`));

    const user = await db.storeUser.findUniqueOrThrow({ where: { email: store.email } });
    // Sixteen minutes pass without a request.
    await db.authSession.updateMany({ where: { storeUserId: user.id, endedAt: null }, data: { lastSeenAt: new Date(Date.now() - 16 * 60_000) } });

    await page.goto(`/console/stores/${store.storeId}/settings`);
    await expect(page).toHaveURL(/\/login\?.*reason=session_expired/);
    await expect(alertBox(page)).toContainText('Your session ended');
    const sessions = await db.authSession.findMany({ where: { storeUserId: user.id } });
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.endedAt).not.toBeNull();
  });

  test('signing out ends the session on the server: a copy of the cookie no longer works', async ({ page, db, browser }) => {
    const store = await seedStore(db);
    await signIn(page, store);
    await expect(page.getByTestId('store-name')).toHaveText(store.storeName);
    const cookies = await page.context().cookies();
    const sessionCookie = cookies.find((cookie) => cookie.name.endsWith('next-auth.session-token'));
    expect(sessionCookie?.httpOnly).toBe(true);
    expect(sessionCookie?.sameSite).toBe('Lax');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);

    const replay = await browser.newContext();
    await replay.addCookies(cookies);
    const replayPage = await replay.newPage();
    await replayPage.goto(`/console/stores/${store.storeId}`);
    await expect(replayPage).toHaveURL(/\/login\?/);
    await replay.close();
  });

  test('signed-out visitors are sent to sign in and come back afterwards', async ({ page, db }) => {
    const store = await seedStore(db);
    await page.goto(`/console/stores/${store.storeId}/certificates`);
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel('E-mail address').fill(store.email);
    await page.getByLabel('Password').fill(store.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(new RegExp(`/console/stores/${store.storeId}/certificates$`));
    await expect(page.getByTestId('empty-state')).toContainText('No POS here');
  });
});
