import { describe, expect, it } from 'vitest';
import { checkoutSecurityHeaders } from '@/lib/checkout/security-headers';

const directives = (policy: string) => new Map(policy.split('; ').map((directive) => [directive.split(' ')[0]!, directive.split(' ').slice(1)]));

describe('checkout security headers', () => {
  it('runs only nonced scripts of its own origin and talks only to its own origin', () => {
    const headers = checkoutSecurityHeaders({ nonce: 'abc123==', embed: false, frameAncestors: "'self'" });
    const policy = directives(headers['Content-Security-Policy']!);
    expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('base-uri')).toEqual(["'none'"]);
    // No origin but our own anywhere in the policy.
    expect(headers['Content-Security-Policy']).not.toMatch(/https?:|\*/);
    expect(headers).toMatchObject({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY' });
  });

  it('lets only the configured origins frame the embeddable variant; the full page is framed by nobody', () => {
    const embed = checkoutSecurityHeaders({ nonce: 'n', embed: true, frameAncestors: "'self' https://shop.example" });
    expect(directives(embed['Content-Security-Policy']!).get('frame-ancestors')).toEqual(["'self'", 'https://shop.example']);
    expect(embed['X-Frame-Options']).toBe('SAMEORIGIN');
    const page = checkoutSecurityHeaders({ nonce: 'n', embed: false, frameAncestors: "'self' https://shop.example" });
    expect(directives(page['Content-Security-Policy']!).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows eval only in development', () => {
    expect(checkoutSecurityHeaders({ nonce: 'n', embed: false, frameAncestors: "'self'", development: true })['Content-Security-Policy']).toContain("'unsafe-eval'");
    expect(checkoutSecurityHeaders({ nonce: 'n', embed: false, frameAncestors: "'self'" })['Content-Security-Policy']).not.toContain('unsafe-eval');
  });
});
