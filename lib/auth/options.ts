import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { authenticate, type PrincipalKind } from '@/lib/auth/authenticate';
import { authCookies } from '@/lib/auth/cookies';
import { endSession, startSession } from '@/lib/auth/sessions';
import { env } from '@/lib/env';
import { isAppError } from '@/lib/errors';
import { requestOrigin } from '@/lib/http/request-origin';
import { describeError, log } from '@/lib/log';

function credentialsProvider(kind: PrincipalKind) {
  return CredentialsProvider({
    id: kind,
    name: kind === 'store' ? 'Store console' : 'Operator console',
    credentials: { email: { type: 'email' }, password: { type: 'password' } },
    async authorize(credentials) {
      try {
        const principal = await authenticate(kind, credentials ?? {}, { origin: await requestOrigin() });
        const sessionId = await startSession(principal);
        // next-auth calls this object the user; its id becomes our session id in the token.
        return { id: sessionId, name: principal.name, email: principal.email, kind };
      } catch (error) {
        // next-auth passes the message through to the sign-in form: a stable code, nothing else.
        if (isAppError(error)) throw new Error(error.code);
        log.error('sign-in failed unexpectedly', describeError(error));
        throw new Error('internal_error');
      }
    },
  });
}

let cached: NextAuthOptions | undefined;

/** next-auth configuration, built on first use so that `next build` needs no environment. */
export function authOptions(): NextAuthOptions {
  if (cached) return cached;
  const config = env();
  // next-auth v4 reads its base URL from this variable; APP_URL is the one we validate.
  process.env.NEXTAUTH_URL ??= config.APP_URL;
  cached = {
    secret: config.AUTH_SECRET,
    // Secure cookies (with __Host-/__Secure- prefixes) whenever the app is served over https: lib/auth/cookies.ts.
    useSecureCookies: config.APP_URL.startsWith('https://'),
    cookies: authCookies(config.APP_URL),
    session: { strategy: 'jwt', maxAge: config.SESSION_MAX_HOURS * 3600 },
    pages: { signIn: '/login', error: '/login' },
    providers: [credentialsProvider('store'), credentialsProvider('operator')],
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.sid = user.id;
          token.kind = (user as { kind?: PrincipalKind }).kind;
        }
        return token;
      },
      // The browser learns the name and kind only; the session id stays inside the encrypted cookie.
      session({ session, token }) {
        return { ...session, kind: token.kind };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === 'string') await endSession(token.sid);
      },
    },
  };
  return cached;
}
