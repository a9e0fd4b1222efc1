import { describe, expect, it } from 'vitest';
import { safeNextPath } from '@/lib/auth/safe-next';

const fallback = '/console';

/** Where a browser would actually go from a page on our origin, e.g. through location.assign(next). */
function resolvedOrigin(next: string): string {
  return new URL(next, 'https://pos.example.com/login').origin;
}

describe('safeNextPath', () => {
  it.each(['/console', '/console/stores/1b4e28ba-2fa1-11d2-883f-0016d3cca427/settings?tab=profile#contact', '/operator', '/'])('keeps the local path %s', (path) => {
    expect(safeNextPath(path, fallback)).toBe(path);
  });

  it.each([
    ['protocol-relative', '//evil.example'],
    ['backslash', '/\\evil.example'],
    ['double backslash', '\\\\evil.example'],
    ['absolute https', 'https://evil.example/console'],
    ['absolute http', 'http://evil.example'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['relative', 'console'],
    ['tab before the second slash', '/\t/evil.example'],
    ['newline before the second slash', '/\n/evil.example'],
    ['carriage return before a backslash', '/\r\\evil.example'],
    ['empty', ''],
  ])('refuses a %s destination', (_label, next) => {
    expect(safeNextPath(next, fallback)).toBe(fallback);
  });

  it('only ever returns a destination on our own origin', () => {
    const attempts = ['//evil.example', '/\\evil.example', '/\t/evil.example', '/\n\\evil.example', '/ /evil.example', '/%2F/evil.example', '/.//evil.example'];
    for (const next of attempts) {
      expect(resolvedOrigin(safeNextPath(next, fallback)), JSON.stringify(next)).toBe('https://pos.example.com');
    }
  });

  it('refuses values that are not strings, and overlong ones', () => {
    expect(safeNextPath(undefined, fallback)).toBe(fallback);
    expect(safeNextPath(['/console', '//evil.example'], fallback)).toBe(fallback);
    expect(safeNextPath(`/${'a'.repeat(500)}`, fallback)).toBe(fallback);
  });
});
