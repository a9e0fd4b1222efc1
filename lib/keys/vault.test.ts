import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMasterKeys, unwrapPrivateKey, VaultError, wrapPrivateKey } from './vault';

const keyText = () => randomBytes(32).toString('base64url');
const pkcs8 = new Uint8Array(randomBytes(138));
const id = '6f1c8a3e-1d2b-4c5d-8e9f-0a1b2c3d4e5f';

describe('key vault', () => {
  it('wraps under the highest version and unwraps to the same bytes', () => {
    const keys = parseMasterKeys(`1:${keyText()},3:${keyText()},2:${keyText()}`);
    const wrapped = wrapPrivateKey(pkcs8, id, keys);
    expect(wrapped.masterKeyVersion).toBe(3);
    expect(Buffer.from(wrapped.encryptedPrivateKey).includes(Buffer.from(pkcs8.subarray(0, 16)))).toBe(false);
    expect(unwrapPrivateKey(wrapped.encryptedPrivateKey, 3, id, keys)).toEqual(pkcs8);
  });

  it('uses a fresh IV every time', () => {
    const keys = parseMasterKeys(`1:${keyText()}`);
    expect(wrapPrivateKey(pkcs8, id, keys).encryptedPrivateKey).not.toEqual(wrapPrivateKey(pkcs8, id, keys).encryptedPrivateKey);
  });

  it('refuses another row, another master key, an unknown version and any changed byte', () => {
    const keys = parseMasterKeys(`1:${keyText()},2:${keyText()}`);
    const { encryptedPrivateKey } = wrapPrivateKey(pkcs8, id, keys);
    expect(() => unwrapPrivateKey(encryptedPrivateKey, 2, '00000000-0000-4000-8000-000000000000', keys)).toThrow(VaultError);
    expect(() => unwrapPrivateKey(encryptedPrivateKey, 1, id, keys)).toThrow(VaultError);
    expect(() => unwrapPrivateKey(encryptedPrivateKey, 7, id, keys)).toThrow(/not configured/);
    for (const index of [0, 20, encryptedPrivateKey.length - 1]) {
      const altered = Uint8Array.from(encryptedPrivateKey);
      altered[index]! ^= 1;
      expect(() => unwrapPrivateKey(altered, 2, id, keys)).toThrow(VaultError);
    }
    expect(() => unwrapPrivateKey(encryptedPrivateKey.subarray(0, 20), 2, id, keys)).toThrow(/too short/);
  });

  it('refuses malformed master key settings with the reason', () => {
    expect(() => parseMasterKeys(`0:${keyText()}`)).toThrow(/positive/);
    expect(() => parseMasterKeys(`1:${randomBytes(16).toString('base64url')}`)).toThrow(/32 bytes/);
    expect(() => parseMasterKeys(`1:${keyText()},1:${keyText()}`)).toThrow(/twice/);
  });
});
