/**
 * The consoles over HTTP, as a browser uses them: next-auth's credentials sign-in (CSRF token and cookie
 * first), then pages and server actions with the session cookie. Sign in once per user and reuse the
 * cookie: sign-ins are rate-limited.
 */

/** The cookies of a Set-Cookie list, as one Cookie header (attributes dropped, later values win). */
function cookieHeader(setCookies: string[], previous = ''): string {
  const jar = new Map(previous.split('; ').filter(Boolean).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  for (const line of setCookies) {
    const pair = line.split(';')[0]!;
    jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/**
 * Signs in through next-auth's credentials flow (`kind` is the provider: store or operator) and answers the
 * Cookie header that carries the session; throws when no session cookie comes back.
 */
export async function signInOverHttp(appUrl: string, kind: 'store' | 'operator', login: { email: string; password: string }, fetcher: typeof fetch = fetch): Promise<string> {
  const csrf = await fetcher(`${appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  let cookies = cookieHeader(csrf.headers.getSetCookie());
  const answer = await fetcher(`${appUrl}/api/auth/callback/${kind}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies, origin: appUrl },
    body: new URLSearchParams({ csrfToken, email: login.email, password: login.password, json: 'true' }),
  });
  cookies = cookieHeader(answer.headers.getSetCookie(), cookies);
  if (!/(?:^|; )(?:__Secure-)?next-auth\.session-token=/.test(cookies)) throw new Error(`sign-in of ${login.email} as ${kind} gave no session (status ${answer.status})`);
  return cookies;
}

/**
 * The request a console form makes when it calls a server action: POST to the page with the action's id
 * (from the build's server-reference manifest) in `Next-Action`, the arguments in React's reply encoding —
 * part `0` the argument list as JSON, the form's fields as parts `_1_<name>` that `$K1` refers to. `bound`
 * are arguments the page bound before the form's state and data (`action.bind(null, storeId)`).
 */
export function serverActionRequest(options: { appUrl: string; pagePath: string; actionId: string; fields: Record<string, string>; bound?: unknown[]; cookie?: string }): Request {
  const body = new FormData();
  for (const [name, value] of Object.entries(options.fields)) body.append(`_1_${name}`, value);
  body.append('0', JSON.stringify([...(options.bound ?? []), { status: 'idle' }, '$K1']));
  return new Request(`${options.appUrl}${options.pagePath}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'next-action': options.actionId, accept: 'text/x-component', origin: options.appUrl, ...(options.cookie ? { cookie: options.cookie } : {}) },
    body,
  });
}

export interface ServerActionEntry {
  id: string;
  /** The source file of the action, relative to the project (app/…/actions.ts). */
  file: string;
  exportedName: string;
}

/** Every server action of a production build, from its server-reference manifest. */
export function serverActionsOf(manifest: { node: Record<string, { filename: string; exportedName: string }> }): ServerActionEntry[] {
  return Object.entries(manifest.node).map(([id, entry]) => ({ id, file: entry.filename, exportedName: entry.exportedName }));
}
