/**
 * Web security (issue 9, item 7), against a running production build: a console form's server action sent
 * from another site's page is refused and changes nothing; every page answers with a strict nonce CSP and
 * only the embeddable checkout may be framed, by exactly the origins its store registered; the console's
 * cookies are HttpOnly and SameSite; failed sign-ins and failed API authentications are rate-limited per
 * client address (and sign-ins per e-mail address), a good credential from another address still working.
 * Password recovery's limits are checked in process. The browser's side (pages run under the policy without
 * a violation, the sign-in form's message) is e2e/web-security.spec.ts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAcquirerRequest } from '@/lib/acquirers/request-signature';
import { SIGN_IN_FAILURES_PER_ADDRESS, SIGN_IN_FAILURES_PER_IP } from '@/lib/auth/authenticate';
import { FORGOT_PASSWORD_PER_IP_PER_HOUR, RESET_PASSWORD_PER_IP_PER_HOUR } from '@/lib/auth/recovery-policy';
import { requestPasswordReset } from '@/lib/auth/request-password-reset';
import { resetPassword } from '@/lib/auth/reset-password';
import { createPrismaClient, type Db } from '@/lib/db/client';
import { generatePosApiKey } from '@/lib/pos/api-key';
import { API_AUTH_FAILURES_PER_IP, API_AUTH_FAILURE_WINDOW_SECONDS } from '@/lib/security/api-auth-limit';
import { uniqueEmail } from '@/lib/testing/fixtures';
import { credentialFilePath } from '@/sim/acquirer/cli';
import { gatewayKeysPath, readGatewayKeys } from '@/sim/acquirer/keys-file';
import { startCluster, type Cluster } from './support/cluster';
import { serverActionRequest, serverActionsOf, signInOverHttp } from './support/console-session';
import { recordingFetch } from './support/recorder';

let cluster: Cluster;
let prisma: Db;
const http = recordingFetch();
/** Each test's own client addresses (documentation ranges), so the limits of one never touch another. */
let nextAddress = 1;
const freshAddress = () => `198.51.100.${nextAddress++}`;

beforeAll(async () => {
  cluster = await startCluster({ name: 'web_security' });
  prisma = createPrismaClient(cluster.databaseUrl, 2);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await cluster?.stop();
});

/** A fetch that says it comes from `address` (the first X-Forwarded-For hop, as a reverse proxy writes it). */
function from(address: string): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('x-forwarded-for', address);
    return http(input, { ...init, headers });
  };
}

/** One sign-in through next-auth, as the sign-in form makes it: the session's Cookie header, or the error code next-auth hands the form. */
async function signIn(kind: 'store' | 'operator', login: { email: string; password: string }, address: string): Promise<{ cookie: string } | { error: string }> {
  let answer = '';
  const capture: typeof fetch = async (input, init) => {
    const response = await from(address)(input, init);
    if (String(input).includes('/api/auth/callback/')) answer = await response.clone().text();
    return response;
  };
  try {
    return { cookie: await signInOverHttp(cluster.appUrl, kind, login, capture) };
  } catch {
    const url = (JSON.parse(answer) as { url?: string }).url ?? '';
    return { error: new URL(url, cluster.appUrl).searchParams.get('error') ?? `no error in ${answer}` };
  }
}

function storeLogin(name: string) {
  const login = cluster.logins.stores.find((store) => store.storeName === name);
  if (!login) throw new Error(`no demo store ${name}`);
  return login;
}

function actionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync(path.join(process.env.NEXT_DIST_DIR || '.next', 'server', 'server-reference-manifest.json'), 'utf8')) as Parameters<typeof serverActionsOf>[0];
  const action = serverActionsOf(manifest).find((entry) => entry.exportedName === exportedName);
  if (!action) throw new Error(`the build has no server action ${exportedName}`);
  return action.id;
}

/** The same request with another Origin header (or none), and any further headers. */
async function withOrigin(request: Request, origin: string | null, more: Record<string, string> = {}): Promise<Request> {
  const headers = new Headers(request.headers);
  if (origin === null) headers.delete('origin');
  else headers.set('origin', origin);
  for (const [name, value] of Object.entries(more)) headers.set(name, value);
  return new Request(request.url, { method: request.method, headers, body: await request.arrayBuffer(), redirect: 'manual' });
}

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((part) => part.trim().split(/\s+/)).filter((words) => words[0]).map(([name, ...values]) => [name!, values]));
}

describe('console actions from a foreign origin', () => {
  it('are refused with 403 and change nothing; the same request from the app’s own origin is carried out', async () => {
    const login = storeLogin('Sakura Books');
    const cookie = (await signIn('store', login, freshAddress())) as { cookie: string };
    expect(cookie.cookie).toBeDefined();
    const snapshot = async () => ({
      store: await prisma.store.findUniqueOrThrow({ where: { id: login.storeId }, select: { settlementEmails: true, updatedAt: true } }),
      audit: await prisma.auditEvent.count({ where: { storeId: login.storeId } }),
    });
    const before = await snapshot();
    // The settings form's "settlement e-mails" switch, flipped: absent means off.
    const fields = { storeId: login.storeId, ...(before.store.settlementEmails ? {} : { settlementEmails: 'on' }) };
    const own = serverActionRequest({ appUrl: cluster.appUrl, pagePath: `/console/stores/${login.storeId}/settings`, actionId: actionId('setSettlementEmailsAction'), fields, cookie: cookie.cookie });

    for (const origin of ['https://evil.example', `https://${new URL(cluster.appUrl).hostname}.evil.example`, 'null']) {
      const refused = await http(await withOrigin(own.clone(), origin));
      expect(refused.status, origin).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('cross_origin_refused');
    }
    // A browser that sends no Origin still says where the request came from.
    expect((await http(await withOrigin(own.clone(), null, { 'sec-fetch-site': 'cross-site' }))).status).toBe(403);
    expect(await snapshot()).toEqual(before);

    const accepted = await http(own);
    expect(accepted.status).toBe(200);
    const after = await snapshot();
    expect(after.store.settlementEmails).toBe(!before.store.settlementEmails);
    expect(after.audit).toBe(before.audit + 1);
  });
});

describe('security headers', () => {
  let sakura: { storeId: string; cookie: string };
  let operatorCookie: string;
  let token: string;

  beforeAll(async () => {
    const login = storeLogin('Sakura Books');
    sakura = { storeId: login.storeId, cookie: ((await signIn('store', login, freshAddress())) as { cookie: string }).cookie };
    operatorCookie = ((await signIn('operator', cluster.logins.operator, freshAddress())) as { cookie: string }).cookie;
    // An order of the sample shop (Sakura Books), registered through the POS API as the shop does.
    const created = await http(`${cluster.appUrl}/api/v1/pos/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.shopApiKey}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ shopOrderRef: `WEBSEC-${randomUUID().slice(0, 8)}`, currency: 'JPY', lineItems: [{ name: 'Notebook', unitAmount: 800, quantity: 1 }], successUrl: 'https://shop.example/thanks', failureUrl: 'https://shop.example/cart' }),
    });
    expect(created.status).toBe(201);
    token = /\/checkout\/([A-Za-z0-9_-]+)$/.exec(((await created.json()) as { order: { checkoutUrl: string } }).order.checkoutUrl)![1]!;
  });

  async function page(pathname: string, cookie?: string) {
    const response = await http(`${cluster.appUrl}${pathname}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
    expect(response.status, pathname).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    return { response, policy: directives(policy), raw: policy, html: await response.text() };
  }

  it('every page: scripts by this response’s nonce only, no plugins, no <base>, forms to itself, framed by nobody', async () => {
    const pages: [string, string?][] = [
      ['/'],
      ['/login'],
      ['/login?as=operator'],
      ['/signup'],
      ['/forgot-password'],
      ['/docs/pos-api'],
      [`/console/stores/${sakura.storeId}`, sakura.cookie],
      [`/console/stores/${sakura.storeId}/settings`, sakura.cookie],
      [`/console/stores/${sakura.storeId}/statistics`, sakura.cookie],
      ['/operator', operatorCookie],
      ['/operator/acquirers', operatorCookie],
      [`/checkout/${token}`],
    ];
    const nonces = new Set<string>();
    for (const [pathname, cookie] of pages) {
      const { response, policy, raw, html } = await page(pathname, cookie);
      const scriptSrc = policy.get('script-src') ?? [];
      const nonce = /^'nonce-([A-Za-z0-9+/=]+)'$/.exec(scriptSrc.find((source) => source.startsWith("'nonce-")) ?? '')?.[1];
      expect(nonce, `${pathname}: ${raw}`).toBeDefined();
      expect(scriptSrc, pathname).toContain("'strict-dynamic'");
      expect(scriptSrc.filter((source) => source.startsWith("'unsafe")), pathname).toEqual([]);
      expect(policy.get('object-src'), pathname).toEqual(["'none'"]);
      expect(policy.get('base-uri'), pathname).toEqual(["'none'"]);
      expect(policy.get('form-action'), pathname).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors'), pathname).toEqual(["'none'"]);
      expect(policy.get('default-src'), pathname).toEqual(["'self'"]);
      expect(response.headers.get('x-frame-options'), pathname).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), pathname).toBe('nosniff');
      // Next.js put the nonce on every script of the page: none would run without it.
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, pathname).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, pathname).toContain(`nonce="${nonce}"`);
      nonces.add(nonce!);
    }
    // A nonce is never used twice.
    expect(nonces.size).toBe(pages.length);
  });

  it('the embeddable checkout is framed by exactly the origins its store registered in the console, and by nobody before', async () => {
    const embed = `/checkout/${token}?embed=1`;
    await prisma.store.update({ where: { id: sakura.storeId }, data: { checkoutFrameOrigins: [] } });
    expect((await page(embed)).policy.get('frame-ancestors')).toEqual(["'none'"]);

    const save = (value: string) =>
      http(serverActionRequest({ appUrl: cluster.appUrl, pagePath: `/console/stores/${sakura.storeId}/settings`, actionId: actionId('setCheckoutFrameOriginsAction'), fields: { storeId: sakura.storeId, checkoutFrameOrigins: value }, cookie: sakura.cookie }));
    const audited = () => prisma.auditEvent.count({ where: { storeId: sakura.storeId, action: 'store.checkout_frame_origins_changed' } });
    const auditedBefore = await audited();

    // Refused by the form: a path, a wildcard, plain http elsewhere than localhost, a keyword; nothing is stored.
    for (const bad of ['https://shop.example/checkout', 'https://*.shop.example', 'http://shop.example', "'self'", 'https://a.example; script-src *']) {
      expect((await save(bad)).status).toBe(200);
      expect((await prisma.store.findUniqueOrThrow({ where: { id: sakura.storeId }, select: { checkoutFrameOrigins: true } })).checkoutFrameOrigins, bad).toEqual([]);
    }
    expect(await audited()).toBe(auditedBefore);

    expect((await save('https://Shop.Example:443\nhttp://localhost:8080\n\nhttps://shop.example')).status).toBe(200);
    expect((await prisma.store.findUniqueOrThrow({ where: { id: sakura.storeId }, select: { checkoutFrameOrigins: true } })).checkoutFrameOrigins).toEqual(['https://shop.example', 'http://localhost:8080']);
    expect(await audited()).toBe(auditedBefore + 1);

    const framed = await page(embed);
    expect(framed.policy.get('frame-ancestors')).toEqual(['https://shop.example', 'http://localhost:8080']);
    // No other origin anywhere in the policy, and no X-Frame-Options to contradict it.
    expect(framed.raw.replace(/frame-ancestors[^;]*/, '')).not.toMatch(/https?:|\*/);
    expect(framed.response.headers.get('x-frame-options')).toBeNull();
    expect(framed.response.headers.get('referrer-policy')).toBe('no-referrer');
    // The full page is never framed, whatever the store registered.
    expect((await page(`/checkout/${token}`)).policy.get('frame-ancestors')).toEqual(["'none'"]);

    expect((await save('')).status).toBe(200);
    expect((await page(embed)).policy.get('frame-ancestors')).toEqual(["'none'"]);
  });
});

describe('cookies over http', () => {
  it('the CSRF and session cookies are HttpOnly and SameSite=Lax, without the Secure flag a plain-http browser would refuse', async () => {
    const setCookies: string[] = [];
    const capture: typeof fetch = async (input, init) => {
      const response = await from(freshAddress())(input, init);
      setCookies.push(...response.headers.getSetCookie());
      return response;
    };
    await signInOverHttp(cluster.appUrl, 'store', storeLogin('Sakura Books'), capture);
    for (const name of ['next-auth.csrf-token', 'next-auth.session-token']) {
      const cookie = setCookies.find((line) => line.startsWith(`${name}=`));
      expect(cookie, name).toBeDefined();
      expect(cookie, name).toMatch(/;\s*HttpOnly/i);
      expect(cookie, name).toMatch(/;\s*SameSite=Lax/i);
      expect(cookie, name).toMatch(/;\s*Path=\//i);
      expect(cookie, name).not.toMatch(/;\s*Domain=/i);
    }
  });
});

describe('rate limits', () => {
  it(`sign-in: after ${SIGN_IN_FAILURES_PER_IP} failures from one address its sign-ins are refused, the right password and the operator’s too; another address still signs in`, async () => {
    const attacker = freshAddress();
    for (let attempt = 0; attempt < SIGN_IN_FAILURES_PER_IP; attempt++) {
      expect(await signIn('store', { email: uniqueEmail('nobody'), password: 'guess' }, attacker)).toEqual({ error: 'invalid_credentials' });
    }
    const login = storeLogin('Sakura Books');
    expect(await signIn('store', login, attacker)).toEqual({ error: 'rate_limited' });
    expect(await signIn('operator', cluster.logins.operator, attacker)).toEqual({ error: 'rate_limited' });
    expect(await signIn('store', login, freshAddress())).toHaveProperty('cookie');
  });

  it(`sign-in: after ${SIGN_IN_FAILURES_PER_ADDRESS} failures for one e-mail address (from anywhere) its sign-ins are refused, the right password too`, async () => {
    const login = cluster.logins.stores.find((store) => store.storeName !== 'Sakura Books')!;
    const unlock = () => prisma.storeUser.update({ where: { email: login.email }, data: { lockedUntil: null, failedLoginCount: 0 } });
    for (let attempt = 0; attempt < SIGN_IN_FAILURES_PER_ADDRESS; attempt++) {
      // The account's own lock would answer first; it is lifted each time so the address limit is what is measured.
      await unlock();
      expect(await signIn('store', { email: login.email, password: `wrong-${attempt}` }, freshAddress())).toEqual({ error: 'invalid_credentials' });
    }
    await unlock();
    expect(await signIn('store', login, freshAddress())).toEqual({ error: 'rate_limited' });
  });

  it(`POS API: after ${API_AUTH_FAILURES_PER_IP} wrong keys from one address, its requests get 429 with Retry-After, a good key too; requests without a key are not counted`, async () => {
    const me = (address: string, authorization?: string) => from(address)(`${cluster.appUrl}/api/v1/pos/me`, { headers: authorization ? { authorization } : {} });
    const browser = freshAddress();
    for (let request = 0; request < API_AUTH_FAILURES_PER_IP + 5; request++) expect((await me(browser)).status).toBe(401);
    expect((await me(browser, `Bearer ${cluster.shopApiKey}`)).status).toBe(200);

    const attacker = freshAddress();
    for (let attempt = 0; attempt < API_AUTH_FAILURES_PER_IP; attempt++) {
      const refused = await me(attacker, `Bearer ${generatePosApiKey().apiKey}`);
      expect(refused.status).toBe(401);
    }
    const limited = await me(attacker, `Bearer ${cluster.shopApiKey}`);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/Try again in/) });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(API_AUTH_FAILURE_WINDOW_SECONDS);
    expect((await me(freshAddress(), `Bearer ${cluster.shopApiKey}`)).status).toBe(200);
  });

  it(`acquirer API: after ${API_AUTH_FAILURES_PER_IP} refused credentials from one address, its requests get 429, a good signed request too; another address still gets in`, async () => {
    const dataDir = cluster.simulators!.config.dataDir;
    const credential = JSON.parse(readFileSync(credentialFilePath(dataDir, 'ACQ-CARD'), 'utf8')) as { credentialId: string; secret: string };
    const signer = (await readGatewayKeys(gatewayKeysPath(dataDir, 'ACQ-CARD'))).signer;
    const stores = async (address: string, secret: string) => {
      const pathname = '/api/v1/acquirer/stores';
      const signature = await signAcquirerRequest({ method: 'GET', url: pathname, body: '', credentialId: credential.credentialId, credentialSecret: secret, signer });
      return from(address)(`${cluster.appUrl}${pathname}`, { headers: { accept: 'application/json', ...signature } });
    };
    const attacker = freshAddress();
    for (let attempt = 0; attempt < API_AUTH_FAILURES_PER_IP; attempt++) {
      const refused = await stores(attacker, randomBytes(32).toString('base64url'));
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_credentials');
    }
    const limited = await stores(attacker, credential.secret);
    expect(limited.status).toBe(429);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await stores(freshAddress(), credential.secret)).status).toBe(200);
  });

  it('password recovery: requests for a reset link and reset attempts (merchant number and PIN) are limited per address', async () => {
    const origin = { ipAddress: freshAddress(), userAgent: null };
    for (let request = 0; request < FORGOT_PASSWORD_PER_IP_PER_HOUR; request++) await requestPasswordReset({ input: { email: uniqueEmail('forgot') }, origin });
    await expect(requestPasswordReset({ input: { email: uniqueEmail('forgot') }, origin })).rejects.toMatchObject({ code: 'rate_limited', status: 429 });

    const resetOrigin = { ipAddress: freshAddress(), userAgent: null };
    const attempt = () => resetPassword({ input: { token: randomBytes(32).toString('base64url'), merchantNumber: 'M-0001', pin: '1234', password: 'a new password 123', confirmPassword: 'a new password 123' }, origin: resetOrigin });
    for (let request = 0; request < RESET_PASSWORD_PER_IP_PER_HOUR; request++) await expect(attempt()).rejects.not.toMatchObject({ code: 'rate_limited' });
    await expect(attempt()).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
  });
});
