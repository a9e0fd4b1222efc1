/**
 * Private keys at rest: every store private key is stored as AES-256-GCM
 * ciphertext under a master key from configuration (MASTER_KEYS), never in
 * clear. The key pair's id is the additional authenticated data, so a
 * ciphertext copied onto another row does not open there. Each ciphertext
 * records the master-key version that wrapped it; `npm run keys:rewrap` moves
 * every key to the newest version so that an old master key can be retired.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { env } from '@/lib/env';

export interface MasterKeys {
  /** The version that wraps new keys: the highest configured. */
  current: number;
  keys: ReadonlyMap<number, Buffer>;
}

export class VaultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Parses `version:base64,version:base64`; each key must be 32 bytes. */
export function parseMasterKeys(setting: string): MasterKeys {
  const keys = new Map<number, Buffer>();
  for (const entry of setting.split(',')) {
    const [versionText, encoded] = entry.split(':');
    const version = Number(versionText);
    const key = Buffer.from(encoded ?? '', 'base64url');
    if (!Number.isInteger(version) || version < 1) throw new VaultError('A master key version is a positive whole number.');
    if (key.length !== 32) throw new VaultError(`Master key version ${version} is not 32 bytes.`);
    if (keys.has(version)) throw new VaultError(`Master key version ${version} is given twice.`);
    keys.set(version, key);
  }
  if (keys.size === 0) throw new VaultError('No master key is configured.');
  return { current: Math.max(...keys.keys()), keys };
}

let configured: MasterKeys | undefined;

/** The master keys of this process's configuration. */
export function masterKeys(): MasterKeys {
  configured ??= parseMasterKeys(env().MASTER_KEYS);
  return configured;
}

const aadFor = (keyPairId: string) => Buffer.from(`serverpos:key-pair:${keyPairId}`, 'utf8');

/** Encrypts a PKCS#8 private key for the key pair `keyPairId` under the current master key: iv ‖ ciphertext ‖ tag. */
export function wrapPrivateKey(pkcs8: Uint8Array, keyPairId: string, keys: MasterKeys = masterKeys()): { encryptedPrivateKey: Uint8Array<ArrayBuffer>; masterKeyVersion: number } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.keys.get(keys.current)!, iv);
  cipher.setAAD(aadFor(keyPairId));
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  const sealed = Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
  return { encryptedPrivateKey: new Uint8Array(sealed), masterKeyVersion: keys.current };
}

/** Decrypts a key wrapped by wrapPrivateKey; throws VaultError (without detail) when it does not open. */
export function unwrapPrivateKey(encryptedPrivateKey: Uint8Array, masterKeyVersion: number, keyPairId: string, keys: MasterKeys = masterKeys()): Uint8Array<ArrayBuffer> {
  const key = keys.keys.get(masterKeyVersion);
  if (!key) throw new VaultError(`Master key version ${masterKeyVersion} is not configured.`);
  if (encryptedPrivateKey.length < IV_BYTES + TAG_BYTES + 1) throw new VaultError('A wrapped private key is too short.');
  const sealed = Buffer.from(encryptedPrivateKey.buffer, encryptedPrivateKey.byteOffset, encryptedPrivateKey.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(aadFor(keyPairId));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]));
  } catch {
    throw new VaultError('A wrapped private key did not open (wrong master key, or altered).');
  }
}
