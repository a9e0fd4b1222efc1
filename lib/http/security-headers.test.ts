import { describe, expect, it } from 'vitest';
import { frameOriginProblem, pageSecurityHeaders, type PageKind } from '@/lib/http/security-headers';

const directives = (policy: string) => new Map(policy.split('; ').map((directive) => [directive.split(' ')[0]!, directive.split(' ').slice(1)]));
const policyOf = (page: PageKind, development = false) => directives(pageSecurityHeaders({ nonce: 'abc123==', page, development })['Content-Security-Policy']!);

describe('page security headers', () => {
  it('runs only nonced scripts, loads and talks only to its own origin, and is framed by nobody', () => {
    for (const page of [{ kind: 'console' }, { kind: 'checkout' }] as const) {
      const headers = pageSecurityHeaders({ nonce: 'abc123==', page });
      const policy = directives(headers['Content-Security-Policy']!);
      expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
      expect(policy.get('style-src')).toEqual(["'self'", "'nonce-abc123=='"]);
      for (const directive of ['default-src', 'connect-src', 'font-src', 'form-action']) expect(policy.get(directive)).toEqual(["'self'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(policy.get('base-uri')).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      expect(headers['Content-Security-Policy']).not.toMatch(/https?:|\*|'unsafe-eval'|'unsafe-inline' [^;]*script/);
      expect(headers).toMatchObject({ 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff' });
    }
  });

  it('allows inline style attributes on the consoles (React renders style props as attributes), never on the checkout', () => {
    expect(policyOf({ kind: 'console' }).get('style-src-attr')).toEqual(["'unsafe-inline'"]);
    expect(policyOf({ kind: 'checkout' }).has('style-src-attr')).toBe(false);
    expect(policyOf({ kind: 'checkout-embed', frameOrigins: [] }).has('style-src-attr')).toBe(false);
  });

  it('keeps the checkout out of caches and Referers', () => {
    expect(pageSecurityHeaders({ nonce: 'n', page: { kind: 'checkout' } })).toMatchObject({ 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
    expect(pageSecurityHeaders({ nonce: 'n', page: { kind: 'console' } })['Referrer-Policy']).toBe('same-origin');
  });

  it('lets exactly the store’s registered origins frame the embeddable checkout, and nobody when it registered none', () => {
    const embed = pageSecurityHeaders({ nonce: 'n', page: { kind: 'checkout-embed', frameOrigins: ['https://shop.example', 'http://localhost:3000'] } });
    expect(directives(embed['Content-Security-Policy']!).get('frame-ancestors')).toEqual(['https://shop.example', 'http://localhost:3000']);
    expect(embed['X-Frame-Options']).toBeUndefined();
    expect(policyOf({ kind: 'checkout-embed', frameOrigins: [] }).get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('drops a stored value that is not exactly an origin instead of writing it into the policy', () => {
    const policy = pageSecurityHeaders({ nonce: 'n', page: { kind: 'checkout-embed', frameOrigins: ["https://a.example; script-src 'unsafe-inline'", 'https://*.example', 'https://b.example/path'] } })['Content-Security-Policy']!;
    expect(directives(policy).get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy).not.toContain('unsafe-inline');
  });

  it('allows eval only in development', () => {
    expect(policyOf({ kind: 'console' }, true).get('script-src')).toContain("'unsafe-eval'");
    expect(policyOf({ kind: 'console' }).get('script-src')).not.toContain("'unsafe-eval'");
  });
});

describe('frameOriginProblem', () => {
  it('takes https origins, and plain http only on the developer’s own machine', () => {
    for (const origin of ['https://shop.example', 'https://Shop.Example:8443', 'https://xn--nxasmq6b.example', 'http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:8080']) {
      expect(frameOriginProblem(origin), origin).toBeNull();
    }
  });

  it('refuses paths, wildcards, keywords, credentials, plain http elsewhere and anything a policy would read as syntax', () => {
    for (const value of ['https://shop.example/checkout', 'https://shop.example?x=1', 'https://shop.example#top', 'https://*.shop.example', '*', "'self'", "'none'", 'https://user:pw@shop.example', 'http://shop.example', 'javascript:alert(1)', 'https://a;b.example', 'shop.example', `https://${'a'.repeat(200)}.example`]) {
      expect(frameOriginProblem(value), value).not.toBeNull();
    }
  });
});
