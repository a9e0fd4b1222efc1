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
  simulators: { caUrl: string; acquirers: Record<string, { gatewayUrl: string; registryUrl: string; adminUrl: string }> };
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
 * keeps a route announcer with that role on every page.
 */
export function alertBox(page: Page, variant?: 'error' | 'warning' | 'success' | 'info') {
  return page.locator(variant ? `[data-slot="alert"][data-variant="${variant}"]` : '[data-slot="alert"]');
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

/** Tests get a Prisma client on the same database as the app under test. */
export const test = base.extend<{ db: Db }>({
  db: async ({}, provide) => {
    const db = createPrismaClient(stackInfo().databaseUrl, 2);
    await provide(db);
    await db.$disconnect();
  },
});

export { expect };
