import { describe, expect, it } from 'vitest';
import { authCookies, sessionCookieName } from '@/lib/auth/cookies';

describe('authCookies', () => {
  it('under https: every cookie HttpOnly, SameSite=Lax, Secure; the session and CSRF cookies host-only (__Host-), the rest __Secure-', () => {
    const cookies = authCookies('https://pos.example.com');
    for (const { name, options } of Object.values(cookies)) {
      expect(options, name).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: true, path: '/' });
      expect(options.domain, name).toBeUndefined();
      expect(name).toMatch(/^__(Host|Secure)-next-auth\./);
    }
    expect(cookies.sessionToken.name).toBe('__Host-next-auth.session-token');
    expect(cookies.csrfToken.name).toBe('__Host-next-auth.csrf-token');
    expect(sessionCookieName('https://pos.example.com')).toBe('__Host-next-auth.session-token');
  });

  it('over plain http (development): HttpOnly and SameSite still, not Secure, no prefix (a browser refuses prefixed cookies without Secure)', () => {
    const cookies = authCookies('http://localhost:3000');
    for (const { name, options } of Object.values(cookies)) {
      expect(options, name).toMatchObject({ httpOnly: true, sameSite: 'lax', secure: false, path: '/' });
      expect(name).toMatch(/^next-auth\./);
    }
    expect(sessionCookieName('http://localhost:3000')).toBe('next-auth.session-token');
  });
});
