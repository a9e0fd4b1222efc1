import { describe, expect, it } from 'vitest';
import { isSameOriginRequest } from '@/lib/http/same-origin';

const check = (method: string, entries: Record<string, string>) => isSameOriginRequest(method, new Headers(entries));

describe('isSameOriginRequest', () => {
  it('lets a change through from the app’s own pages', () => {
    expect(check('POST', { host: 'pos.example.com', origin: 'https://pos.example.com' })).toBe(true);
    expect(check('POST', { host: '127.0.0.1:3000', 'x-forwarded-host': 'pos.example.com', origin: 'https://pos.example.com' })).toBe(true);
    expect(check('POST', { host: 'localhost:3000', origin: 'http://localhost:3000' })).toBe(true);
  });

  it('refuses a change sent from another site, a subdomain, an opaque origin or a cross-site fetch without Origin', () => {
    expect(check('POST', { host: 'pos.example.com', origin: 'https://evil.example' })).toBe(false);
    expect(check('POST', { host: 'pos.example.com', origin: 'https://shop.pos.example.com' })).toBe(false);
    expect(check('POST', { host: 'pos.example.com', origin: 'null' })).toBe(false);
    expect(check('DELETE', { host: 'pos.example.com', origin: 'https://evil.example' })).toBe(false);
    expect(check('POST', { host: 'pos.example.com', 'sec-fetch-site': 'cross-site' })).toBe(false);
    expect(check('POST', { host: 'pos.example.com', 'sec-fetch-site': 'same-site' })).toBe(false);
  });

  it('lets safe methods and requests of no browser (no Origin, no Sec-Fetch-Site) through', () => {
    expect(check('GET', { host: 'pos.example.com', origin: 'https://evil.example' })).toBe(true);
    expect(check('POST', { host: 'pos.example.com' })).toBe(true);
  });
});
