import { describe, expect, it } from 'vitest';
import { clientIpFrom } from '@/lib/http/client-ip';

const from = (entries: Record<string, string>) => clientIpFrom(new Headers(entries));

describe('clientIpFrom', () => {
  it('takes the first hop of X-Forwarded-For', () => {
    expect(from({ 'x-forwarded-for': '203.0.113.7, 10.0.0.1, 10.0.0.2', 'x-real-ip': '10.0.0.9' })).toBe('203.0.113.7');
    expect(from({ 'x-forwarded-for': ' 2001:DB8::1 ' })).toBe('2001:db8::1');
  });

  it('falls back to X-Real-IP when X-Forwarded-For is missing or not an address', () => {
    expect(from({ 'x-real-ip': '198.51.100.4' })).toBe('198.51.100.4');
    expect(from({ 'x-forwarded-for': 'unknown', 'x-real-ip': '198.51.100.4' })).toBe('198.51.100.4');
  });

  it('drops a port the proxy wrote after the address', () => {
    expect(from({ 'x-forwarded-for': '203.0.113.7:5123' })).toBe('203.0.113.7');
    expect(from({ 'x-forwarded-for': '[2001:db8::2]:443' })).toBe('2001:db8::2');
  });

  it('answers null when no header names an address', () => {
    expect(from({})).toBeNull();
    expect(from({ 'x-forwarded-for': '', 'x-real-ip': 'localhost' })).toBeNull();
    expect(from({ 'x-forwarded-for': `${'1'.repeat(300)}` })).toBeNull();
  });
});
