import { describe, expect, it } from 'vitest';
import { sha256Hex } from '@/lib/auth/tokens';
import { generatePosApiKey, parsePosApiKey } from '@/lib/pos/api-key';

describe('POS API keys', () => {
  it('are spk_, a 12-character prefix and a 43-character secret, stored as the secret’s SHA-256', () => {
    const key = generatePosApiKey();
    expect(key.apiKey).toMatch(/^spk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    const parsed = parsePosApiKey(key.apiKey);
    expect(parsed?.prefix).toBe(key.prefix);
    expect(key.secretHash).toBe(sha256Hex(parsed!.secret));
    expect(key.secretHash).not.toContain(parsed!.secret);
  });

  it('are different every time', () => {
    const keys = Array.from({ length: 200 }, () => generatePosApiKey());
    expect(new Set(keys.map((key) => key.prefix)).size).toBe(200);
    expect(new Set(keys.map((key) => key.apiKey)).size).toBe(200);
  });

  it('parse a secret that contains underscores, and nothing that is not shaped like a key', () => {
    const secret = `${'_'.repeat(20)}${'a'.repeat(23)}`;
    expect(parsePosApiKey(`spk_abcdefghijkl_${secret}`)).toEqual({ prefix: 'abcdefghijkl', secret });
    for (const value of ['', 'spk_', `spk_ABCDEFGHIJKL_${secret}`, `spk_abcdefghijk_${secret}`, `spk_abcdefghijkl_${secret}x`, `spk_abcdefghijkl-${secret}`, ` spk_abcdefghijkl_${secret}`, `pk_abcdefghijkl_${secret}`]) {
      expect(parsePosApiKey(value), value).toBeNull();
    }
  });
});
