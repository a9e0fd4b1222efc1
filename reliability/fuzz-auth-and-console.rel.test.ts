import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from './support/cluster';
import { expectErrorShape, FuzzTally, fuzzRoute, hostileString, randomClientAddress, readAnswer, wellFormed, type Answer } from './support/fuzz';

/**
 * Bad input against the console's server actions and the sign-in, over HTTP against a real app (production
 * build) with real sessions: server actions need Next.js's request context, so they cannot be called in
 * process. Every action of the build's server-reference manifest is posted to the page that serves it, with
 * its `Next-Action` id, the app's own Origin, a signed-in session of the right kind (store owner or operator)
 * and a fuzzed form — real ids and hostile values in the fields its code reads, unknown fields, missing ones.
 * No answer may be a 5xx, and no action may answer the form state of an unexpected error (internal_error):
 * a bad form is a refusal with a code, shown beside its fields. The sign-in (both credentials providers,
 * with next-auth's CSRF token) gets hostile e-mail addresses and passwords the same way, and the console's
 * CSV exports (route handlers that need the session, so also over HTTP) hostile filters.
 */

const tally = new FuzzTally();
/**
 * Cases per action over HTTP. Each is a real request through Next.js (about 15–60 ms), and there are some 50
 * actions: 1,000 each would take most of an hour, so the suite runs 100 each and the full 1,000 is the
 * heavier variant, FUZZ_HTTP_RUNS=1000. The sign-in gets 1,000 unless told otherwise.
 */
const HTTP_RUNS = Number(process.env.FUZZ_HTTP_RUNS) || 100;
const SIGN_IN_RUNS = Number(process.env.FUZZ_HTTP_RUNS) || Number(process.env.FUZZ_RUNS) || 1000;

let cluster: Cluster;
let storeCookie: string;
let operatorCookie: string;
let storeId: string;
/** Ids of the demo store's records by field name (posId, paymentId…), so fuzzed forms reach the domain's checks. */
let realIds: Record<string, string[]> = {};

interface ServerAction {
  id: string;
  file: string;
  name: string;
  /** The page the action is posted to (its worker in the manifest). */
  pagePath: string;
  session: 'store' | 'operator' | 'none';
  /** Arguments bound before the form's (checkAcquirersAction(storeId, …)). */
  boundArguments: number;
  /** The form fields its code reads. */
  fields: string[];
}

let actions: ServerAction[] = [];

beforeAll(async () => {
  cluster = await startCluster({ name: 'fuzz_console' });
  const store = cluster.logins.stores[0]!;
  storeId = store.storeId;
  storeCookie = await signIn('store', store.email, store.password);
  operatorCookie = await signIn('operator', cluster.logins.operator.email, cluster.logins.operator.password);
  realIds = await idsOfStore(cluster.databaseUrl, storeId);
  actions = serverActions();
});

afterAll(async () => {
  console.log(tally.summary('console and sign-in fuzz'));
  console.log(`sessions a fuzzed form ended (signed in again): ${sessionsEnded}`);
  await cluster?.stop();
});

async function send(pathname: string, init: RequestInit & { headers?: Record<string, string> }): Promise<Answer> {
  const url = `${cluster.appUrl}${pathname}`;
  const response = await fetch(url, { redirect: 'manual', ...init, headers: { 'x-forwarded-for': randomClientAddress(), ...init.headers } });
  return readAnswer(init.method ?? 'GET', url, response);
}

/** next-auth's CSRF token and the cookie that goes with it. */
async function csrf(): Promise<{ token: string; cookie: string }> {
  const response = await fetch(`${cluster.appUrl}/api/auth/csrf`, { headers: { 'x-forwarded-for': randomClientAddress() } });
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { token: csrfToken, cookie: cookiesOf(response) };
}

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]!)
    .join('; ');
}

async function signIn(kind: 'store' | 'operator', email: string, password: string): Promise<string> {
  const { token, cookie } = await csrf();
  const response = await fetch(`${cluster.appUrl}/api/auth/callback/${kind}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: cluster.appUrl, 'x-forwarded-for': randomClientAddress() },
    body: new URLSearchParams({ csrfToken: token, email, password, json: 'true' }),
  });
  const session = cookiesOf(response);
  if (!session.includes('session-token')) throw new Error(`could not sign in as the demo ${kind}: HTTP ${response.status}`);
  return session;
}

async function idsOfStore(databaseUrl: string, id: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = async (sql: string) => (await client.query<{ id: string }>(sql, [id])).rows.map((row) => row.id);
    return {
      storeId: [id],
      posId: await ids(`SELECT id FROM "Pos" WHERE "storeId" = $1 LIMIT 5`),
      paymentId: await ids(`SELECT id FROM "Payment" WHERE "storeId" = $1 LIMIT 5`),
      contractId: await ids(`SELECT id FROM "AcquirerContract" WHERE "storeId" = $1 LIMIT 5`),
      posAcquirerId: await ids(`SELECT id FROM "PosAcquirer" WHERE "storeId" = $1 LIMIT 5`),
      apiKeyId: await ids(`SELECT id FROM "PosApiKey" WHERE "storeId" = $1 LIMIT 5`),
      acquirerId: (await client.query<{ id: string }>(`SELECT id FROM "Acquirer" LIMIT 5`)).rows.map((row) => row.id),
    };
  } finally {
    await client.end();
  }
}

/**
 * Every server action in the build's manifest with the page that serves it, the session it needs (by its
 * route group) and the fields its code reads (from its source: values.x, formData.get('x'), { x } = …).
 */
function serverActions(): ServerAction[] {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const manifest = JSON.parse(readFileSync(path.join(distDir, 'server', 'server-reference-manifest.json'), 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers).find((name) => name.endsWith('/page')) ?? Object.keys(entry.workers)[0]!;
    const file = entry.filename ?? '';
    const name = entry.exportedName ?? '';
    const source = file ? readFileSync(file, 'utf8') : '';
    const signature = new RegExp(`export async function ${name}\\(([^)]*)\\)`).exec(source)?.[1] ?? '';
    const parameters = signature.split(',').filter((parameter) => parameter.trim() !== '');
    const fields = new Set<string>(['storeId']);
    for (const match of source.matchAll(/values\.(\w+)|(?:formData|form)\.get(?:All)?\('(\w+)'\)|fields\.(\w+)|\b(\w+) = ''/g)) fields.add(match[1] ?? match[2] ?? match[3] ?? match[4]!);
    const pagePath = worker
      .replace(/^app/, '')
      .replace(/\/page$/, '')
      .replace(/\/\([^)]+\)/g, '')
      .replace(/\[(\w+)\]/g, (_, param: string) => realIds[param]?.[0] ?? '00000000-0000-0000-0000-000000000000');
    const session = worker.includes('/(operator)/') ? 'operator' : worker.includes('/(console)/') ? 'store' : 'none';
    return { id, file, name, pagePath: pagePath || '/', session, boundArguments: Math.max(0, parameters.length - 2), fields: [...fields] };
  });
}

/** A value for a form field: mostly a real id for id fields, else hostile or plausible text. */
function fieldValue(field: string): fc.Arbitrary<string> {
  const real = realIds[field] ?? (field.endsWith('Id') ? Object.values(realIds).flat() : []);
  const plausible = fc.constantFrom('', '0', '1', '100', '-1', '1e3', 'on', 'true', 'ACTIVE', 'DISABLED', 'DAILY_BATCH', 'IMMEDIATE', 'JPY', 'VISA', '400000', 'https://shop.example/', 'owner@sakura-books.test', 'correct horse battery staple', '2026-01-01');
  return fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 2, arbitrary: plausible }, ...(real.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...real) }] : []));
}

/** A form for an action: some of its fields (each maybe repeated), unknown ones, the store's id or another. */
function formFor(action: ServerAction): fc.Arbitrary<[string, string][]> {
  const known = fc.array(
    fc.constantFrom(...action.fields).chain((field) => fieldValue(field).map((value): [string, string] => [field, value])),
    { maxLength: 8 },
  );
  const unknown = fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 });
  const store = fc.oneof({ weight: 6, arbitrary: fc.constant(storeId) }, { weight: 1, arbitrary: fieldValue('storeId') });
  return fc.tuple(store, known, unknown).map(([id, fields, extra]) => [['storeId', id], ...fields, ...extra]);
}

/**
 * The request React's client would send for `action(previousState, formData)` (encodeReply): the form's
 * fields as parts prefixed `_1_`, then part `0`, the argument list with the form as `$K1`. Part 0 comes last,
 * as React writes it: the server decodes while the body streams in, and reads the form when part 0 arrives.
 */
function actionBody(action: ServerAction, fields: [string, string][], argumentShape: 'form' | 'garbled'): FormData {
  const body = new FormData();
  // A field's name travels in its part's header, where Next.js's multipart parser refuses control characters
  // and names past its header limit with a 500 of its own before any of our code runs: names stay within that.
  for (const [name, value] of fields) body.append(`_1_${wellFormed(name).replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 1000)}`, wellFormed(value));
  const bound = Array.from({ length: action.boundArguments }, () => storeId);
  body.append('0', JSON.stringify([...bound, { status: 'idle' }, argumentShape === 'form' ? '$K1' : 'not a form']));
  return body;
}

/** Sessions a fuzzed form ended, for the summary. */
let sessionsEnded = 0;

/**
 * A fuzzed form can be a real request that ends the session: suspending the store (a reason and a ticked
 * box are enough) signs out every session and sends the owner to sign in. The next cases, and the actions
 * after this one, need a live session to get past the session check, so sign in again.
 */
async function signInAgainIfEnded(session: ServerAction['session'], answer: Answer): Promise<void> {
  const destination = answer.headers.get('x-action-redirect') ?? answer.headers.get('location') ?? '';
  if (session === 'none' || !/^(?:https?:\/\/[^/]+)?\/login\b/.test(destination)) return;
  sessionsEnded++;
  if (session === 'store') storeCookie = await signIn('store', cluster.logins.stores[0]!.email, cluster.logins.stores[0]!.password);
  else operatorCookie = await signIn('operator', cluster.logins.operator.email, cluster.logins.operator.password);
}

function cookieFor(session: ServerAction['session']): string | undefined {
  return session === 'store' ? storeCookie : session === 'operator' ? operatorCookie : undefined;
}

describe('console actions and sign-in under bad input (over HTTP)', () => {
  it('finds the server actions in the build', () => {
    expect(actions.length).toBeGreaterThan(20);
    for (const action of actions) expect(action.name, action.file).not.toBe('');
  });

  it('every server action: fuzzed forms never answer a 5xx or an unexpected error', async () => {
    // Actions whose own code answered some case with a form state: the fuzz got past the session and tenant checks.
    const reachedForm = new Set<string>();
    // Every action is fuzzed even after one fails, so a run names every action with a problem.
    const failures: string[] = [];
    for (const action of actions) {
      const route = `action ${action.name} (${action.pagePath.replace(storeId, ':storeId')})`;
      await fuzzRoute(
        tally,
        route,
        fc.tuple(formFor(action), fc.oneof({ weight: 12, arbitrary: fc.constant('form' as const) }, { weight: 1, arbitrary: fc.constant('garbled' as const) })),
        async ([fields, shape]) => {
          const cookie = cookieFor(action.session);
          const answer = await send(action.pagePath, { method: 'POST', headers: { 'next-action': action.id, origin: cluster.appUrl, accept: 'text/x-component', ...(cookie ? { cookie } : {}) }, body: actionBody(action, fields, shape) });
          await signInAgainIfEnded(action.session, answer);
          return answer;
        },
        (_input, answer) => {
          expect(answer.text, `${route} answered an unexpected error: ${answer.text.slice(0, 300)}`).not.toContain('"code":"internal_error"');
          if (/"status":"(ok|error)"/.test(answer.text)) reachedForm.add(action.name);
        },
        // A server action answers in React's format: its refusals are form states with a code, checked above.
        { numRuns: HTTP_RUNS, errorShape: false },
      ).catch((error: unknown) => failures.push(`${route}: ${error instanceof Error ? error.message.slice(0, 1500) : String(error)}`));
    }
    expect(failures).toEqual([]);
    expect(actions.filter((action) => !reachedForm.has(action.name)).map((action) => action.name)).toEqual([]);
  });

  it('CSV exports (the store’s payments and statistics, the operator’s statistics): hostile filters, other stores, no session', async () => {
    const values = fc.oneof(hostileString, fc.constantFrom('2026-01-01', '0000-01-01', '1999-12-31', '9999-12-31', '2026-02-30', 'AUTHORIZED', 'VISA', 'JPY', '-1', '0', '1e3'), fc.uuid());
    const query = fc.array(fc.tuple(fc.constantFrom('from', 'to', 'status', 'brand', 'currency', 'posId', 'acquirerId', 'storeId', 'q', 'shopOrderRef', 'cursor', 'limit'), values), { maxLength: 5 });
    const exports = [
      { route: 'GET /console/stores/:storeId/payments/export', path: () => `/console/stores/${storeId}/payments/export`, session: 'store' as const },
      { route: 'GET /console/stores/:storeId/statistics/export', path: () => `/console/stores/${storeId}/statistics/export`, session: 'store' as const },
      { route: 'GET /operator/statistics/export', path: () => '/operator/statistics/export', session: 'operator' as const },
    ];
    for (const { route, path: pathOf, session } of exports) {
      // Cases the export's own code answered (a file or a refusal of the filters): the session held.
      let reachedExport = 0;
      await fuzzRoute(
        tally,
        route,
        fc.tuple(query, fc.oneof({ weight: 8, arbitrary: fc.constant('own') }, { weight: 1, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: fc.constant('other kind') })),
        ([pairs, who]) => {
          const cookie = who === 'own' ? cookieFor(session) : who === 'other kind' ? cookieFor(session === 'store' ? 'operator' : 'store') : undefined;
          const search = new URLSearchParams(pairs.map(([name, value]): [string, string] => [name, wellFormed(value)]));
          return send(`${pathOf()}?${search}`, { headers: cookie ? { cookie } : {} });
        },
        (_input, answer) => {
          // A refusal is JSON with our shape, or the framework's sign-in redirect or not-found page.
          if (answer.status >= 400 && answer.json !== undefined) expectErrorShape(answer, route);
          if (answer.status === 200 || answer.status === 400) reachedExport++;
        },
        { numRuns: HTTP_RUNS, errorShape: false },
      );
      expect(reachedExport, `${route}: no case got past the session check`).toBeGreaterThan(0);
    }
  });

  it('sign-in (store and operator credentials, and an unknown provider): hostile addresses, passwords and CSRF tokens', async () => {
    const { token, cookie } = await csrf();
    const email = fc.oneof(hostileString, fc.constantFrom('owner@sakura-books.test', 'operator@serverpos.test', 'a@b', '', `${'a'.repeat(500)}@example.test`));
    await fuzzRoute(
      tally,
      'POST /api/auth/callback/:provider',
      fc.record({
        provider: fc.constantFrom('store', 'operator', 'credentials', '..%2f', 'store%00'),
        email,
        password: fc.oneof(hostileString, fc.constant('correct horse battery staple')),
        csrf: fc.oneof({ weight: 5, arbitrary: fc.constant('valid') }, { weight: 1, arbitrary: hostileString }),
        extra: fc.array(fc.tuple(hostileString, hostileString), { maxLength: 2 }),
      }),
      ({ provider, email: address, password, csrf: csrfToken, extra }) =>
        send(`/api/auth/callback/${provider}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: cluster.appUrl },
          body: new URLSearchParams([['csrfToken', csrfToken === 'valid' ? token : wellFormed(csrfToken)], ['email', wellFormed(address)], ['password', wellFormed(password)], ['json', 'true'], ...extra.map(([name, value]): [string, string] => [wellFormed(name), wellFormed(value)])]),
        }),
      ({ provider }, answer) => {
        // next-auth answers a failed sign-in with the sign-in page's address and its error code.
        const location = `${answer.headers.get('location') ?? ''} ${(answer.json as { url?: string } | undefined)?.url ?? ''}`;
        expect(location, 'a sign-in failed unexpectedly').not.toMatch(/error=(internal_error|Configuration)/);
        const ours = provider === 'store' || provider === 'operator';
        if (ours && answer.status >= 400 && answer.status !== 429) expect(location, `a refusal without its reason: ${answer.text.slice(0, 200)}`).toMatch(/error=[A-Za-z_]+/);
      },
      // next-auth answers in its own format ({ url } naming the error), checked above; a rate limit is ours.
      { numRuns: SIGN_IN_RUNS, errorShape: false },
    );
  });
});
