import { randomBytes, randomUUID } from 'node:crypto';
import type { Page, Response } from '@playwright/test';
import { enrolInBrowser, expect, registerWebShop, stackInfo, test } from './fixtures';

/**
 * The hosted checkout in a real browser against the whole system: a store
 * enrolled and registered at a card acquirer and a bank-transfer acquirer
 * (verified by the simulated acquirers, certificates from the simulated CA),
 * orders its shop pre-registered, and the customer paying on
 * /checkout/<token> with the wallet running lib/set in the page. The card
 * number must leave the browser only inside the PI sealed to the gateway.
 */

const CARD = { code: 'ACQ-CARD', name: 'Aozora Card Services' };
const BANK = { code: 'ACQ-BANK', name: 'Minato Bank Transfers' };
const SHOP = 'https://shop.example.test';

interface Enrolled {
  storeId: string;
  storeName: string;
  /** The shop server's POS API key, created on the console's POS page. */
  apiKey: string;
}

let enrolled: Enrolled;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const page = await browser.newPage();
  enrolled = await enrolStore(page);
  await page.close();
});

/** The store's own way in: sign-up at two acquirers, the e-mailed acquisition numbers, certificates from the CA. */
async function enrolStore(page: Page): Promise<Enrolled> {
  const suffix = randomUUID().slice(0, 8).toUpperCase();
  const storeName = `Checkout Tea ${suffix}`;
  const email = `checkout-${suffix.toLowerCase()}@e2e.test`;
  const password = `checkout-password-${suffix}`;
  const contracts = [
    [CARD, `M-CHECK-${suffix}`, '2468'],
    [BANK, `B-CHECK-${suffix}`, '1357'],
  ] as const;
  const { storeId } = await enrolInBrowser(page, { storeName, email, password, contracts });
  for (const [acquirer] of contracts) await registerWebShop(page, { storeId, email, acquirerName: acquirer.name });
  await page.goto(`/console/stores/${storeId}/poses`);
  const webShop = page.getByTestId('pos-Web shop');
  await webShop.getByLabel('Key label').fill('Shop server');
  await webShop.getByRole('button', { name: 'Create API key' }).click();
  const apiKey = (await page.getByTestId('new-api-key').textContent())!.trim();
  return { storeId, storeName, apiKey };
}

/** An order as the shop's server pre-registers it through the POS API: the amount is fixed there, the customer gets only the checkout URL. */
async function preRegisterOrder() {
  const shopOrderRef = `ORD-${randomUUID().slice(0, 8)}`;
  const response = await fetch(new URL('/api/v1/pos/orders', stackInfo().appUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${enrolled.apiKey}`, 'idempotency-key': randomUUID(), 'content-type': 'application/json' },
    body: JSON.stringify({
      shopOrderRef,
      currency: 'JPY',
      lineItems: [
        { name: 'Sencha 100 g', unitAmount: 1_200, quantity: 2 },
        { name: 'Tea towel', unitAmount: 1_000, quantity: 1 },
      ],
      successUrl: `${SHOP}/thanks`,
      failureUrl: `${SHOP}/sorry`,
    }),
  });
  expect(response.status).toBe(201);
  const { order } = (await response.json()) as { order: { id: string; amount: number; checkoutUrl: string } };
  expect(order.amount).toBe(3_400);
  const token = /\/checkout\/([A-Za-z0-9_-]+)$/.exec(order.checkoutUrl)![1]!;
  return { token, order, shopOrderRef };
}

/** Everything the page sends (URLs and bodies), and every Content Security Policy complaint it logs. */
function watch(page: Page) {
  const sent: { url: string; body: string }[] = [];
  const cspViolations: string[] = [];
  page.on('request', (request) => sent.push({ url: request.url(), body: request.postData() ?? '' }));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { sent, cspViolations };
}

function expectNoCardNumber(sent: { url: string; body: string }[], pan: string) {
  const spaced = pan.replace(/(\d{4})(?=\d)/g, '$1 ');
  for (const { url, body } of sent) {
    for (const text of [url, body, decodeURIComponent(url)]) {
      expect(text).not.toContain(pan);
      expect(text).not.toContain(spaced);
    }
  }
}

/** The shop's pages are not part of this system: the browser gets a stand-in. */
async function routeShop(page: Page) {
  await page.route(`${SHOP}/**`, (route) => route.fulfill({ contentType: 'text/html', body: `<h1>Shop: ${new URL(route.request().url()).pathname}</h1>` }));
}

const expiryYear = String(new Date().getUTCFullYear() + 3);

async function fillCard(page: Page, cardNumber: string) {
  await page.getByLabel('Card number').fill(cardNumber);
  await page.getByLabel('Expiry month').selectOption('12');
  await page.getByLabel('Expiry year').selectOption(expiryYear);
  await page.getByLabel('Security code').fill('123');
}

async function fillCustomer(page: Page) {
  await page.getByLabel('Full name').fill('Yui Aoki');
  await page.getByLabel('E-mail address').fill('yui@example.test');
  await page.getByLabel('Phone (optional)').fill('+81 3 1234 5678');
  await page.getByLabel('Shipping address (optional)').fill('1-2-3 Minato, Tokyo');
}

function expectCheckoutHeaders(response: Response | null, frameAncestors: string) {
  const headers = response!.headers();
  const policy = headers['content-security-policy'] ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy).toContain("connect-src 'self'");
  expect(policy).toMatch(new RegExp(`frame-ancestors ${frameAncestors.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(;|$)`));
  // No origin in the policy but the frame-ancestors the store registered.
  expect(policy.replace(/frame-ancestors [^;]*/, '')).not.toMatch(/https?:|\*/);
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['cache-control']).toContain('no-store');
}

test('a customer pays a pre-registered order by card; the card number leaves the browser only sealed', async ({ page, db }) => {
  const { token, order, shopOrderRef } = await preRegisterOrder();
  const { sent, cspViolations } = watch(page);
  const answers: Response[] = [];
  page.on('response', (answer) => {
    if (answer.url().includes(`/api/checkout/${token}/`)) answers.push(answer);
  });
  await routeShop(page);

  const response = await page.goto(`/checkout/${token}`);
  expect(response!.status()).toBe(200);
  expectCheckoutHeaders(response, "'none'");
  await expect(page.getByRole('heading', { level: 1, name: `Pay ${enrolled.storeName}` })).toBeVisible();
  const lines = page.getByTestId('order-lines');
  await expect(lines.getByRole('row', { name: /Sencha 100 g/ })).toContainText('× 2');
  await expect(lines.getByRole('row', { name: /Sencha 100 g/ })).toContainText('¥2,400');
  await expect(lines.getByRole('row', { name: /Tea towel/ })).toContainText('¥1,000');
  await expect(page.getByTestId('order-total')).toHaveText('¥3,400');
  const methods = page.getByRole('group', { name: 'Payment method' });
  await expect(methods.getByRole('radio')).toHaveCount(3);
  await expect(methods.getByLabel('Visa')).toBeChecked();
  await expect(methods.getByLabel('Mastercard')).toBeVisible();
  await expect(methods.getByLabel('Bank account transfer')).toBeVisible();

  await fillCard(page, '4111 1111 1111 1111');
  await fillCustomer(page);
  await page.getByRole('button', { name: 'Pay ¥3,400' }).click();
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible({ timeout: 30_000 });
  const back = page.getByRole('link', { name: 'Return to the shop' });
  await expect(back).toHaveAttribute('href', `${SHOP}/thanks?order=${shopOrderRef}`);
  // After a few seconds the customer is back at the shop, with the order reference only.
  await page.waitForURL(`${SHOP}/thanks?order=${shopOrderRef}`, { timeout: 10_000 });

  const paid = await db.order.findUniqueOrThrow({ where: { id: order.id }, include: { payments: true } });
  expect(paid.status).toBe('PAID');
  expect(paid.customer).toEqual({ name: 'Yui Aoki', email: 'yui@example.test', phone: '+81 3 1234 5678', address: '1-2-3 Minato, Tokyo' });
  expect(paid.payments.map((payment) => [payment.brand, payment.status])).toEqual([['VISA', 'AUTHORIZED']]);

  // The wallet did talk to the server (so the check below can fail), and never with the card number in clear.
  const api = sent.filter((request) => request.url.includes(`/api/checkout/${token}/`));
  expect(api.map((request) => new URL(request.url).pathname.split('/').at(-1))).toEqual(['init', 'pay']);
  expect(api[1]!.body).toContain('"preq"');
  expectNoCardNumber(sent, '4111111111111111');
  expect(cspViolations).toEqual([]);
  // The signed answers go out as they are: never cached, and not compressed, although this browser takes gzip
  // (the page itself came compressed).
  expect(response!.headers()['content-encoding']).toBe('gzip');
  expect(answers).toHaveLength(2);
  for (const answer of answers) {
    expect(answer.headers()['cache-control']).toBe('no-store, no-transform');
    expect(answer.headers()['content-encoding']).toBeUndefined();
  }
});

test('a declined card shows the reason in English and Japanese; another card then pays as a fresh payment', async ({ page, db }) => {
  const { token, order, shopOrderRef } = await preRegisterOrder();
  const { sent, cspViolations } = watch(page);
  await routeShop(page);
  await page.goto(`/checkout/${token}`);

  await fillCard(page, '4000 0000 0000 9995');
  await fillCustomer(page);
  await page.getByRole('button', { name: 'Pay ¥3,400' }).click();
  await expect(page.getByRole('heading', { name: 'Payment declined' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('decline-reason-en')).toHaveText('The card has insufficient funds.');
  await expect(page.getByTestId('decline-reason-ja')).toHaveText('カードの利用可能額が不足しています。');
  await expect(page.getByRole('link', { name: 'Return to the shop' })).toHaveAttribute('href', `${SHOP}/sorry?order=${shopOrderRef}`);

  await page.getByRole('button', { name: 'Try another card' }).click();
  // The card fields were emptied; the customer's details stay.
  await expect(page.getByLabel('Card number')).toHaveValue('');
  await expect(page.getByLabel('Security code')).toHaveValue('');
  await expect(page.getByLabel('Full name')).toHaveValue('Yui Aoki');
  await fillCard(page, '4111111111111111');
  await page.getByRole('button', { name: 'Pay ¥3,400' }).click();
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible({ timeout: 30_000 });

  const payments = await db.payment.findMany({ where: { orderId: order.id }, orderBy: { createdAt: 'asc' } });
  expect(payments.map((payment) => [payment.status, payment.declineCode])).toEqual([
    ['DECLINED', 'insufficient_funds'],
    ['AUTHORIZED', null],
  ]);
  expect(payments[0]!.xid).not.toBe(payments[1]!.xid);
  const inits = sent.filter((request) => request.url.endsWith(`/api/checkout/${token}/init`));
  expect(inits).toHaveLength(2);
  expect(inits[0]!.body).not.toBe(inits[1]!.body);
  expectNoCardNumber(sent, '4000000000009995');
  expectNoCardNumber(sent, '4111111111111111');
  expect(cspViolations).toEqual([]);
});

test('a customer pays by bank transfer through the bank acquirer', async ({ page, db }) => {
  const { token, order } = await preRegisterOrder();
  const { sent } = watch(page);
  await routeShop(page);
  await page.goto(`/checkout/${token}`);

  await page.getByRole('group', { name: 'Payment method' }).getByLabel('Bank account transfer').check();
  await expect(page.getByLabel('Card number')).toHaveCount(0);
  await expect(page.getByLabel('Bank code')).toHaveValue('0001');
  await page.getByLabel('Account number').fill('1234567');
  await page.getByLabel('PIN', { exact: true }).fill('1234');
  await fillCustomer(page);
  await page.getByRole('button', { name: 'Pay ¥3,400' }).click();
  await expect(page.getByRole('heading', { name: 'Payment complete' })).toBeVisible({ timeout: 30_000 });

  const payment = await db.payment.findFirstOrThrow({ where: { orderId: order.id }, include: { acquirer: true } });
  expect([payment.brand, payment.status, payment.acquirer?.code]).toEqual(['BANK', 'AUTHORIZED', BANK.code]);
  for (const { body } of sent) expect(body).not.toContain('1234567');
});

test('mistakes are shown beside their fields and nothing is sent', async ({ page }) => {
  const { token } = await preRegisterOrder();
  const { sent } = watch(page);
  await page.goto(`/checkout/${token}`);
  await page.getByLabel('Card number').fill('4111 11');
  await page.getByLabel('E-mail address').fill('not-an-address');
  await page.getByRole('button', { name: 'Pay ¥3,400' }).click();

  await expect(page.getByLabel('Card number')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Card number')).toHaveAccessibleDescription('Enter the card number: 12 to 19 digits.');
  await expect(page.getByLabel('Expiry month')).toHaveAccessibleDescription('Choose the expiry month.');
  await expect(page.getByLabel('Security code')).toHaveAccessibleDescription(/Enter the 3- or 4-digit security code/);
  await expect(page.getByLabel('Full name')).toHaveAccessibleDescription('Enter your name.');
  await expect(page.getByLabel('E-mail address')).toHaveAccessibleDescription(/Enter a valid e-mail address/);
  await expect(page.getByLabel('Card number')).toBeFocused();
  expect(sent.filter((request) => request.url.includes('/api/checkout/'))).toEqual([]);
});

test('an order that is already paid cannot be paid again, and a link that names nothing is a 404', async ({ page, db }) => {
  const { token, order, shopOrderRef } = await preRegisterOrder();
  // Paid meanwhile (e.g. in another tab): the link stays, the payment form goes.
  await db.order.update({ where: { id: order.id }, data: { status: 'PAID' } });
  await page.goto(`/checkout/${token}`);
  await expect(page.getByRole('heading', { name: 'This order is already paid' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Return to the shop' })).toHaveAttribute('href', `${SHOP}/thanks?order=${shopOrderRef}`);
  await expect(page.getByLabel('Card number')).toHaveCount(0);

  const missing = await page.goto(`/checkout/${randomBytes(32).toString('base64url')}`);
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Checkout link not found' })).toBeVisible();
  // A customer is never sent to a sign-in page.
  expect(new URL(page.url()).pathname).toMatch(/^\/checkout\//);
});

test('the embeddable checkout renders without the page frame, and only it may be framed, by the store’s registered origins', async ({ page, db }) => {
  const { token } = await preRegisterOrder();
  // Nobody may frame it until the store registers an origin (Store settings → Embedded checkout).
  expectCheckoutHeaders(await page.goto(`/checkout/${token}?embed=1`), "'none'");
  const appOrigin = new URL(stackInfo().appUrl).origin;
  await db.store.update({ where: { id: enrolled.storeId }, data: { checkoutFrameOrigins: [appOrigin] } });
  const response = await page.goto(`/checkout/${token}?embed=1`);
  expectCheckoutHeaders(response, appOrigin);
  await expect(page.getByTestId('wallet')).toBeVisible();
  await expect(page.getByTestId('order-total')).toHaveText('¥3,400');
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(0);

  // A page of the app's own origin frames both variants: the embeddable one loads, the full page is refused.
  await page.goto('/login');
  const refused = page.waitForEvent('console', (message) => /frame-ancestors 'none'/.test(message.text()));
  await page.evaluate(
    (sources) =>
      sources.forEach((src, index) => {
        const frame = document.createElement('iframe');
        frame.id = `frame-${index}`;
        frame.src = src;
        frame.style.width = '600px';
        frame.style.height = '900px';
        document.body.append(frame);
      }),
    [`/checkout/${token}?embed=1`, `/checkout/${token}`],
  );
  await expect(page.frameLocator('#frame-0').getByLabel('Card number')).toBeVisible();
  await refused;
  await expect(page.frameLocator('#frame-1').getByLabel('Card number')).toHaveCount(0);
});

test.describe('before the page\'s script runs', () => {
  test.use({ javaScriptEnabled: false });

  test('the wallet takes no input and cannot be sent, and no field has a name a browser could put in a URL', async ({ page }) => {
    const { token } = await preRegisterOrder();
    await page.goto(`/checkout/${token}`);
    await expect(page.getByRole('heading', { level: 1, name: `Pay ${enrolled.storeName}` })).toBeVisible();
    await expect(page.getByLabel('Card number')).toBeDisabled();
    await expect(page.getByLabel('Security code')).toBeDisabled();
    await expect(page.getByRole('button', { name: /^Pay / })).toBeDisabled();
    // Only the brand's radio buttons are named (a group needs one); the card and contact fields are not.
    const wallet = page.getByTestId('wallet');
    await expect(wallet.locator('input:not([type="radio"])')).not.toHaveCount(0);
    await expect(wallet.locator('input[name]:not([type="radio"]), select[name], textarea[name]')).toHaveCount(0);
  });
});
