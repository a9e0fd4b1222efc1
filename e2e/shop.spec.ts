import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { expect, signIn, stackInfo, test } from './fixtures';

/**
 * The whole loop a customer and a store live through, in a real browser: the
 * sample shop (sim/shop, selling for the demo store Sakura Books through the
 * SDK) pre-registers the order and sends the customer to ServerPOS's checkout;
 * the wallet in the page seals the card for the gateway; the customer comes
 * back to the shop, which asks ServerPOS for the result and receives signed
 * webhooks it verifies; the store captures and refunds in its console.
 *
 * The stack runs with a 4-second gateway timeout and an 8-second deadline for
 * unknown outcomes (e2e/global-setup.ts), so a card the issuer never answers
 * is settled within the test.
 */

test.describe.configure({ mode: 'serial' });

const CARDS = {
  approve: '4111111111111111',
  decline: '4000000000009995',
  slow: '4000000000000309',
  never: '4000000000000408',
} as const;

const expiryYear = String(new Date().getUTCFullYear() + 3);

function shopUrl(path = '/'): string {
  const { shopUrl: base } = stackInfo();
  if (!base) throw new Error('the browser-test stack was started without the sample shop');
  return new URL(path, base).toString();
}

function sakura() {
  const store = stackInfo().logins.stores.find((candidate) => candidate.storeName === 'Sakura Books');
  if (!store) throw new Error('the demo store Sakura Books is not seeded');
  return store;
}

/** Every request the page makes, with its body: the proof that the card number leaves the browser only sealed. */
function recordRequests(page: Page) {
  const sent: { url: string; body: string }[] = [];
  page.on('request', (request) => sent.push({ url: request.url(), body: request.postData() ?? '' }));
  return sent;
}

function expectNoCardNumber(sent: { url: string; body: string }[], pan: string) {
  const spaced = pan.replace(/(\d{4})(?=\d)/g, '$1 ');
  // The checkout did talk to ServerPOS (so the search below can find something) …
  expect(sent.some((request) => /\/api\/checkout\/[^/]+\/pay$/.test(new URL(request.url).pathname) && request.body.includes('"preq"'))).toBe(true);
  // … and no URL or body held the card number, spaced or not; the first six digits (the BIN) may travel, the rest not.
  for (const { url, body } of sent) {
    for (const text of [url, decodeURIComponent(url), body]) {
      expect(text).not.toContain(pan);
      expect(text).not.toContain(spaced);
      expect(text).not.toContain(pan.slice(6, 12));
    }
  }
}

/** Shop → cart → Checkout → ServerPOS's payment page, with the card typed in and "Pay" pressed. */
async function buyWithCard(page: Page, product: string, pan: string) {
  await page.goto(shopUrl('/'));
  await expect(page.getByRole('heading', { level: 1, name: 'Sakura Books' })).toBeVisible();
  await page.getByRole('article', { name: product }).getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  const total = (await page.getByTestId('cart-total').textContent())!.trim();
  await page.getByRole('button', { name: 'Checkout' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Pay Sakura Books' })).toBeVisible();
  // The total comes from the order the shop registered server to server, not from the browser.
  await expect(page.getByTestId('order-total')).toHaveText(total);
  await page.getByLabel('Card number').fill(pan);
  await page.getByLabel('Expiry month').selectOption('12');
  await page.getByLabel('Expiry year').selectOption(expiryYear);
  await page.getByLabel('Security code').fill('123');
  await page.getByLabel('Full name').fill('Haruki Sato');
  await page.getByLabel('E-mail address').fill('haruki@example.test');
  await page.getByRole('button', { name: `Pay ${total}` }).click();
  return { total };
}

/** Back at the shop's return page: the reference it shows is the order's. */
async function returnedOrderRef(page: Page, kind: 'success' | 'failure'): Promise<string> {
  await page.waitForURL((url) => url.toString().startsWith(shopUrl(`/return/${kind}`)), { timeout: 20_000 });
  return (await page.getByTestId('order-ref').textContent())!.trim();
}

/** The shop's orders page, reloaded until the verified webhook events of that order include each type. */
async function expectWebhooks(page: Page, ref: string, types: string[]) {
  const events = page.getByRole('table', { name: 'Webhook events' });
  await expect(async () => {
    await page.goto(shopUrl('/orders'));
    for (const type of types) await expect(events.getByRole('row').filter({ hasText: ref }).filter({ hasText: type })).not.toHaveCount(0, { timeout: 500 });
  }).toPass({ timeout: 45_000, intervals: [500, 1_000] });
}

/** The store's console: the payment of an order, found through the payments filter. */
async function openPaymentInConsole(page: Page, ref: string) {
  const store = sakura();
  await signIn(page, store);
  await expect(page).toHaveURL(new RegExp(`/console/stores/${store.storeId}$`));
  await page.goto(`/console/stores/${store.storeId}/payments?shopOrderRef=${encodeURIComponent(ref)}`);
  await page.getByTestId('payment-row').getByRole('link', { name: ref }).first().click();
  await expect(page.getByRole('table', { name: 'Timeline' })).toBeVisible();
}

async function gatewayLedger(xidOrNothing: { merchantNumber?: string; type?: string } = {}) {
  const admin = stackInfo().simulators.acquirers['ACQ-CARD']!.adminUrl;
  const query = new URLSearchParams(Object.entries(xidOrNothing).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const response = await fetch(`${admin}/ledger?${query}`);
  return ((await response.json()) as { entries: { type: string; xid: string; code: string; amount: number }[] }).entries;
}

let approvedRef = '';

test('a customer buys in the sample shop with a good card; the shop learns the result by pull and by verified webhook', async ({ page }) => {
  test.setTimeout(120_000);
  const sent = recordRequests(page);
  await buyWithCard(page, 'Kokoro', CARDS.approve);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible({ timeout: 30_000 });

  approvedRef = await returnedOrderRef(page, 'success');
  await expect(page.getByRole('heading', { level: 1, name: 'Payment received' })).toBeVisible();
  await expect(page.getByTestId('order-status')).toHaveText('Paid (authorized)');
  expectNoCardNumber(sent, CARDS.approve);

  await expectWebhooks(page, approvedRef, ['payment.authorized']);
  await expect(page.getByRole('table', { name: 'Orders placed in this shop' }).getByRole('row', { name: new RegExp(approvedRef) }).getByTestId('order-status')).toContainText('Paid (authorized)');
});

test('the store captures and then partly refunds the sale in its console; the shop receives both as verified webhooks', async ({ page }) => {
  test.setTimeout(120_000);
  expect(approvedRef).not.toBe('');
  await openPaymentInConsole(page, approvedRef);
  await expect(page.getByText('Authorized', { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Capture' }).click();
  await expect(page.getByText('Captured', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await page.getByLabel('Amount to refund').fill('320');
  await page.getByRole('button', { name: 'Refund' }).click();
  await expect(page.getByText('Partially refunded', { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('¥1,320 / ¥320')).toBeVisible();
  const timeline = page.getByRole('table', { name: 'Timeline' });
  await expect(timeline.getByRole('row', { name: /CapRes/ })).not.toHaveCount(0);
  await expect(timeline.getByRole('row', { name: /CredRes/ })).not.toHaveCount(0);

  await expectWebhooks(page, approvedRef, ['payment.authorized', 'payment.captured', 'payment.refunded']);
  await page.getByRole('button', { name: 'Refresh statuses from ServerPOS' }).click();
  await expect(page.getByRole('table', { name: 'Orders placed in this shop' }).getByRole('row', { name: new RegExp(approvedRef) }).getByTestId('order-status')).toContainText('Partly refunded');

  // The gateway's own ledger agrees: one capture of the whole amount, one credit of 320.
  const entries = (await gatewayLedger()).filter((entry) => entry.type === 'capture' || entry.type === 'credit');
  const payments = entries.filter((entry) => entry.amount === 1_320 || entry.amount === 320);
  expect(payments.some((entry) => entry.type === 'capture' && entry.amount === 1_320)).toBe(true);
  expect(payments.some((entry) => entry.type === 'credit' && entry.amount === 320)).toBe(true);
});

test('a declined card: the reason is shown to the customer, at the shop and in the console', async ({ page }) => {
  test.setTimeout(120_000);
  const sent = recordRequests(page);
  await buyWithCard(page, 'Snow Country', CARDS.decline);
  await expect(page.getByRole('heading', { name: 'Payment declined' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('decline-reason-en')).toHaveText('The card has insufficient funds.');
  await expect(page.getByTestId('decline-reason-ja')).toHaveText('カードの利用可能額が不足しています。');
  expectNoCardNumber(sent, CARDS.decline);

  await page.getByRole('link', { name: 'Return to the shop' }).click();
  const ref = await returnedOrderRef(page, 'failure');
  await expect(page.getByRole('heading', { level: 1, name: 'Payment declined' })).toBeVisible();
  await expect(page.getByTestId('decline-reason-en')).toHaveText('The card has insufficient funds.');
  await expectWebhooks(page, ref, ['payment.declined']);

  await openPaymentInConsole(page, ref);
  await expect(page.getByTestId('decline-reason')).toContainText('insufficient_funds');
  await expect(page.getByTestId('decline-reason')).toContainText('The card has insufficient funds.');
  await expect(page.getByRole('button', { name: 'Capture' })).toHaveCount(0);
});

test('a slow issuer still approves; the timeline shows the authorisation’s latency', async ({ page }) => {
  test.setTimeout(120_000);
  const sent = recordRequests(page);
  await buyWithCard(page, 'The Pillow Book', CARDS.slow);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible({ timeout: 30_000 });
  const ref = await returnedOrderRef(page, 'success');
  await expect(page.getByTestId('order-status')).toHaveText('Paid (authorized)');
  expectNoCardNumber(sent, CARDS.slow);

  await openPaymentInConsole(page, ref);
  const authRes = page.getByRole('table', { name: 'Timeline' }).getByRole('row', { name: /AuthRes/ }).first();
  // The simulated issuer takes a second for this card: the latency recorded is at least that.
  const latency = Number((await authRes.getByRole('cell').last().textContent())!.replace(/[^\d]/g, ''));
  expect(latency).toBeGreaterThanOrEqual(1_000);
});

test('an issuer that never answers: the customer is told to wait, ServerPOS inquires, reverses at the deadline, and tells the shop', async ({ page }) => {
  test.setTimeout(150_000);
  const sent = recordRequests(page);
  await buyWithCard(page, 'Drip coffee bags (10)', CARDS.never);
  await expect(page.getByRole('heading', { name: 'Payment not confirmed yet' })).toBeVisible({ timeout: 30_000 });
  expectNoCardNumber(sent, CARDS.never);
  await page.getByRole('link', { name: /Return to the shop/ }).click();
  const ref = await page.waitForURL((url) => url.toString().startsWith(shopUrl('/return/')), { timeout: 20_000 }).then(async () => (await page.getByTestId('order-ref').textContent())!.trim());

  // The worker settles it: an inquiry first, then, past the 8-second deadline, a reversal; the shop hears a failure.
  await expectWebhooks(page, ref, ['payment.failed']);
  await openPaymentInConsole(page, ref);
  const timeline = page.getByRole('table', { name: 'Timeline' });
  await expect(timeline.getByRole('row', { name: /InqRe/ })).not.toHaveCount(0);
  // The gateway answered the reversal: it holds no authorisation of this XID (the issuer never gave one), so the payment failed.
  await expect(timeline.getByRole('row', { name: /AuthRevRes/ })).toContainText('unknown_transaction');
  await expect(page.getByTestId('payment-summary').getByText('Failed', { exact: true })).toBeVisible();

  // The gateway's own ledger agrees: nothing was authorised or captured under this XID.
  const xid = (await page.getByTestId('payment-xid').textContent())!.trim();
  expect(xid).not.toBe('');
  expect((await gatewayLedger()).filter((entry) => entry.xid === xid)).toEqual([]);
});

/** The acquirer's operator CLI (sim/acquirer/cli.ts) against this run's simulators and ServerPOS, as a separate process. */
async function acquirerCli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'sim/acquirer/cli.ts', ...args], {
    env: { ...process.env, SIM_CONFIG: stackInfo().simulators.configFile },
    timeout: 60_000,
  });
  return stdout;
}

test('an acquirer suspends the store with its CLI: no payment starts, in the shop or on an open checkout page, until it resumes', async ({ page }) => {
  test.setTimeout(180_000);
  // A customer already on the payment page when the acquirer acts.
  await page.goto(shopUrl('/'));
  await page.getByRole('article', { name: 'Kokoro' }).getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('button', { name: 'Checkout' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Pay Sakura Books' })).toBeVisible();
  const ledgerBefore = (await gatewayLedger({ merchantNumber: 'M-SAKURA-0001' })).length;

  expect(await acquirerCli('ACQ-CARD', 'suspend', 'M-SAKURA-0001', '--reason', 'Chargebacks above the agreed threshold')).toMatch(/is suspended[\s\S]*ServerPOS was told \(POST .*HTTP 200/);
  try {
    // The open page's payment is refused by ServerPOS, with the reason, before any gateway is asked.
    await page.getByLabel('Card number').fill(CARDS.approve);
    await page.getByLabel('Expiry month').selectOption('12');
    await page.getByLabel('Expiry year').selectOption(expiryYear);
    await page.getByLabel('Security code').fill('123');
    await page.getByLabel('Full name').fill('Haruki Sato');
    await page.getByLabel('E-mail address').fill('haruki@example.test');
    await page.getByRole('button', { name: /^Pay / }).click();
    await expect(page.getByText('The payment was not made')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/suspended/i).first()).toBeVisible();

    // A new checkout in the shop does not start: the shop shows ServerPOS's reason and nothing was charged.
    await page.goto(shopUrl('/'));
    await page.getByRole('article', { name: 'Kokoro' }).getByRole('button', { name: 'Add to cart' }).click();
    await page.getByRole('button', { name: 'Checkout' }).click();
    await expect(page.getByRole('alert')).toContainText(/suspended/i);
    await expect(page.getByRole('alert')).toContainText('Nothing was charged');
    expect(await gatewayLedger({ merchantNumber: 'M-SAKURA-0001' })).toHaveLength(ledgerBefore);
  } finally {
    expect(await acquirerCli('ACQ-CARD', 'resume', 'M-SAKURA-0001')).toMatch(/is active[\s\S]*ServerPOS was told \(DELETE .*HTTP 200/);
  }

  // Resumed: the same shop sells again.
  await buyWithCard(page, 'Kokoro', CARDS.approve);
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible({ timeout: 30_000 });
  await returnedOrderRef(page, 'success');
  await expect(page.getByTestId('order-status')).toHaveText('Paid (authorized)');
});
