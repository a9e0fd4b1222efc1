import { describe, expect, it } from 'vitest';
import { requestOrigin, requestOriginFrom, USER_AGENT_MAX_LENGTH } from '@/lib/http/request-origin';

const from = (entries: Record<string, string>) => requestOriginFrom(new Headers(entries));
const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('requestOriginFrom', () => {
  it('takes the first X-Forwarded-For hop, else X-Real-IP, and the user agent', () => {
    expect(from({ 'x-forwarded-for': '203.0.113.7, 10.0.0.1', 'x-real-ip': '10.0.0.9', 'user-agent': chrome })).toEqual({ ipAddress: '203.0.113.7', userAgent: chrome });
    expect(from({ 'x-real-ip': '2001:db8::5' })).toEqual({ ipAddress: '2001:db8::5', userAgent: null });
  });

  it('drops an address that is not one, or too long for the column', () => {
    expect(from({ 'x-forwarded-for': '<script>', 'user-agent': 'curl/8.5.0' })).toEqual({ ipAddress: null, userAgent: 'curl/8.5.0' });
    expect(from({ 'x-forwarded-for': `fe80::1%${'a'.repeat(100)}` }).ipAddress).toBeNull();
    expect(from({}).ipAddress).toBeNull();
  });

  it('cuts a long user agent to 300 characters without splitting a character', () => {
    const long = `${'a'.repeat(299)}😀${'b'.repeat(50)}`;
    // Headers carry bytes; build the header source by hand to keep the astral character.
    const origin = requestOriginFrom({ get: (name) => (name === 'user-agent' ? long : null) });
    expect(Array.from(origin.userAgent!)).toHaveLength(USER_AGENT_MAX_LENGTH);
    expect(origin.userAgent!.endsWith('😀')).toBe(true);
  });

  it('drops a user agent with control characters, and a blank one', () => {
    expect(requestOriginFrom({ get: (name) => (name === 'user-agent' ? 'Mozilla\u0000evil' : null) }).userAgent).toBeNull();
    expect(requestOriginFrom({ get: (name) => (name === 'user-agent' ? 'Mozilla\u001b[31m' : null) }).userAgent).toBeNull();
    expect(from({ 'user-agent': '   ' }).userAgent).toBeNull();
  });
});

describe('requestOrigin', () => {
  it('is unknown outside a request', async () => {
    expect(await requestOrigin()).toEqual({ ipAddress: null, userAgent: null });
  });
});
