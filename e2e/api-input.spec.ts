import { expect, test } from './fixtures';

/** The JSON API refuses bad input with a 4xx, a stable code and a message — never a 500. */
test.describe('POST /api/v1/signup refuses bad input', () => {
  const valid = {
    storeName: 'API Shop',
    ownerName: 'Kai',
    email: 'api-shop@e2e.test',
    password: 'long-enough-password',
    contracts: [{ acquirerCode: 'ACQ-CARD', merchantNumber: 'M-API-0001', pin: '1234' }],
  };

  const cases: { name: string; headers?: Record<string, string>; body: string | Buffer; status: number; code: string }[] = [
    { name: 'malformed JSON', body: '{"storeName": ', status: 400, code: 'invalid_json' },
    { name: 'not JSON at all', body: 'storeName=x', status: 400, code: 'invalid_json' },
    { name: 'wrong content type', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(valid), status: 415, code: 'unsupported_media_type' },
    { name: 'wrong types', body: JSON.stringify({ ...valid, storeName: 42, password: ['x'] }), status: 400, code: 'validation_failed' },
    { name: 'missing fields', body: '{}', status: 400, code: 'validation_failed' },
    { name: 'a JSON array', body: '[1,2,3]', status: 400, code: 'validation_failed' },
    { name: 'null', body: 'null', status: 400, code: 'validation_failed' },
    { name: 'short password', body: JSON.stringify({ ...valid, password: 'short' }), status: 400, code: 'validation_failed' },
    { name: 'control characters', body: JSON.stringify({ ...valid, storeName: 'Bad\u0000Name' }), status: 400, code: 'validation_failed' },
    { name: 'no acquirer', body: JSON.stringify({ ...valid, contracts: [] }), status: 400, code: 'validation_failed' },
    { name: 'a merchant number without its PIN', body: JSON.stringify({ ...valid, contracts: [{ acquirerCode: 'ACQ-CARD', merchantNumber: 'M-API-0001', pin: '' }] }), status: 400, code: 'validation_failed' },
    { name: 'an unknown acquirer', body: JSON.stringify({ ...valid, contracts: [{ acquirerCode: 'ACQ-NONE', merchantNumber: 'M-API-0001', pin: '1234' }] }), status: 400, code: 'validation_failed' },
    { name: 'oversized body', body: JSON.stringify({ ...valid, storeName: 'x'.repeat(100_000) }), status: 413, code: 'body_too_large' },
    { name: 'invalid UTF-8', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, code: 'invalid_json' },
  ];

  for (const testCase of cases) {
    test(testCase.name, async ({ request, db }) => {
      const response = await request.post('/api/v1/signup', {
        headers: { 'content-type': 'application/json', ...testCase.headers },
        // Bytes, not a string: Playwright JSON-encodes a string that does not parse as JSON.
        data: Buffer.isBuffer(testCase.body) ? testCase.body : Buffer.from(testCase.body, 'utf8'),
      });
      expect(response.status()).toBe(testCase.status);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(testCase.code);
      expect(body.error.message.length).toBeGreaterThan(0);
      expect(await db.storeUser.count({ where: { email: valid.email } })).toBe(0);
    });
  }

  test('an unknown route and a wrong method answer 4xx', async ({ request }) => {
    const wrongMethod = await request.get('/api/v1/signup');
    expect(wrongMethod.status()).toBe(405);
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
    const unknown = await request.post('/api/v1/nothing-here', { data: {} });
    expect(unknown.status()).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});
