import { randomUUID } from 'node:crypto';
import { test as base, expect, type Page } from '@playwright/test';
import { hashPassword } from '../lib/auth/password';
import { createPrismaClient, type Db } from '../lib/db/client';
import type { DemoLogins } from '../lib/seed/seed-demo';

export interface StackInfo {
  appUrl: string;
  mailUrl: string;
  databaseUrl: string;
  logins: DemoLogins;
  /** The simulated CA and acquirers of this run (free ports). */
  simulators: {
    caUrl: string;
    acquirers: Record<string, { gatewayUrl: string; registryUrl: string; adminUrl: string }>;
    /** The simulators' configuration (SIM_CONFIG for the acquirer CLI), with their state folder and ServerPOS's URL. */
    configFile: string;
  };
  /** The sample shop, selling for the demo store Sakura Books. */
  shopUrl?: string;
}

export function stackInfo(): StackInfo {
  const raw = process.env.E2E_STACK;
  if (!raw) throw new Error('E2E_STACK is not set: run the browser tests through playwright.config.ts');
  return JSON.parse(raw) as StackInfo;
}

export interface SeededStore {
  storeId: string;
  storeName: string;
  email: string;
  password: string;
}

/**
 * Creates a fresh active store with a verified owner, straight in the
 * database — each test gets its own tenant and touches nobody else's.
 */
export async function seedStore(db: Db, overrides: { name?: string } = {}): Promise<SeededStore> {
  const suffix = randomUUID().slice(0, 8);
  const storeName = overrides.name ?? `E2E Store ${suffix}`;
  const email = `owner-${suffix}@e2e.test`;
  const password = `correct-horse-${suffix}`;
  const store = await db.store.create({ data: { name: storeName, contactEmail: email, status: 'ACTIVE' } });
  await db.storeUser.create({
    data: { storeId: store.id, email, name: `Owner ${suffix}`, passwordHash: await hashPassword(password), emailVerifiedAt: new Date() },
  });
  return { storeId: store.id, storeName, email, password };
}

export async function signIn(page: Page, credentials: { email: string; password: string }, as: 'store' | 'operator' = 'store') {
  await page.goto(as === 'operator' ? '/login?as=operator' : '/login');
  await page.getByLabel('E-mail address').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * The page's message box (components/ui/alert). Not getByRole('alert'): Next.js
 * keeps a route announcer with that role on every page. The store layout's
 * reminder of live notices is an alert too, but not the page's message.
 */
export function alertBox(page: Page, variant?: 'error' | 'warning' | 'success' | 'info') {
  const box = '[data-slot="alert"]:not([data-testid="notice-banner"])';
  return page.locator(variant ? `${box}[data-variant="${variant}"]` : box);
}

interface MailSummary {
  id: string;
  to: string[];
  subject: string;
}

/** Waits until the local mail server has received a message for this address whose subject matches. */
export async function waitForMail(to: string, subject: RegExp, timeoutMs = 20_000): Promise<{ subject: string; text: string }> {
  const { mailUrl } = stackInfo();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = (await (await fetch(`${mailUrl}api/messages?to=${encodeURIComponent(to)}`)).json()) as { messages: MailSummary[] };
    const found = list.messages.find((message) => subject.test(message.subject));
    if (found) return (await (await fetch(`${mailUrl}api/messages/${found.id}`)).json()) as { subject: string; text: string };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no e-mail to ${to} matching ${subject} arrived within ${timeoutMs} ms`);
}

/** The acquirer signs a merchant contract on paper: its back office (the simulator's admin API) adds the merchant. */
export async function signMerchantContract(acquirerCode: string, merchantNumber: string, storeName: string): Promise<void> {
  const admin = stackInfo().simulators.acquirers[acquirerCode]!.adminUrl;
  const response = await fetch(`${admin}/merchants`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ merchantNumber, storeName }) });
  expect(response.status).toBe(201);
}

export interface BrowserEnrolment {
  storeName: string;
  email: string;
  password: string;
  contracts: readonly (readonly [acquirer: { code: string; name: string }, merchantNumber: string, pin: string])[];
}

/**
 * A store's own way in, in the browser: the acquirers sign the merchant contracts, the store signs up with
 * them, confirms its e-mail address through the link that arrives, and signs in. Answers the store's id.
 */
export async function enrolInBrowser(page: Page, enrolment: BrowserEnrolment): Promise<{ storeId: string }> {
  for (const [acquirer, merchantNumber] of enrolment.contracts) await signMerchantContract(acquirer.code, merchantNumber, enrolment.storeName);
  await page.goto('/signup');
  await page.getByLabel('Store name').fill(enrolment.storeName);
  await page.getByLabel('Your name').fill('Mei Kato');
  await page.getByLabel('E-mail address').fill(enrolment.email);
  await page.getByLabel('Password').fill(enrolment.password);
  for (const [acquirer, merchantNumber, pin] of enrolment.contracts) {
    const group = page.getByRole('group', { name: acquirer.name });
    await group.getByLabel('Merchant number').fill(merchantNumber);
    await group.getByLabel('PIN').fill(pin);
  }
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your e-mail' })).toBeVisible();

  const confirmation = await waitForMail(enrolment.email, /Confirm your e-mail/);
  const link = new URL(/https?:\/\/\S+\/verify-email\?token=[A-Za-z0-9_%-]+/.exec(confirmation.text)![0]);
  await page.goto(`${link.pathname}${link.search}`);
  await page.getByRole('button', { name: 'Confirm my e-mail address' }).click();
  await expect(page).toHaveURL(/\/login\?verified=1/);

  await signIn(page, enrolment);
  await expect(page.getByTestId('store-name')).toHaveText(enrolment.storeName);
  return { storeId: /\/console\/stores\/([0-9a-f-]{36})/.exec(page.url())![1]! };
}

/**
 * Registers the store's "Web shop" POS with an acquirer on the certificates page, with the one-time
 * certificate acquisition number from the acquirer's e-mail: the CA issues its certificates.
 */
export async function registerWebShop(page: Page, options: { storeId: string; email: string; acquirerName: string }): Promise<void> {
  const mail = await waitForMail(options.email, new RegExp(`${options.acquirerName} verified your store`), 30_000);
  const number = /acquisition number for .+? is: ([0-9A-F]{5}-[0-9A-F]{5}-[0-9A-F]{5}-[0-9A-F]{5})/.exec(mail.text)?.[1];
  expect(number, 'acquisition number in the e-mail').toBeTruthy();
  await page.goto(`/console/stores/${options.storeId}/certificates`);
  const row = page.getByTestId(`link-Web shop-${options.acquirerName}`);
  await row.getByLabel('Certificate acquisition number').fill(number!);
  await row.getByRole('button', { name: 'Register and get certificates' }).click();
  await expect(row).toContainText('Registered');
}

/** Tests get a Prisma client on the same database as the app under test. */
export const test = base.extend<{ db: Db }>({
  db: async ({}, provide) => {
    const db = createPrismaClient(stackInfo().databaseUrl, 2);
    await provide(db);
    await db.$disconnect();
  },
});

export { expect };
