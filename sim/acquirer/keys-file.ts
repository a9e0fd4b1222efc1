/**
 * The one reader and writer of an acquirer's gateway keys file,
 * `<dataDir>/acquirers/<acquirerId>/keys.json`: the signature key and the
 * key-exchange key, each as PKCS#8 with its certificate chain. The simulator
 * writes it after enrolling with the CA; the simulator and the operator CLI
 * read it. The file holds private keys: written 0600, atomically (a reader
 * never sees half a file), in a 0700 folder.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { certificateKeyAlgorithm, certificateToBase64, exportPrivateKey, importPrivateKey, parseCertificate, type KeyPurpose } from '@/lib/pki';
import { createKeyExchangeIdentity, createSigner, type KeyExchangeIdentity, type Signer } from '@/lib/set';

const storedKeySchema = z.strictObject({
  algorithm: z.enum(['RSA-2048', 'RSA-3072', 'P-256']),
  /** PKCS#8 DER, standard base64. */
  privateKey: z.string().min(1),
  /** Leaf first, root left out (every party pins it); standard base64 DER as in `x5c`. */
  chain: z.array(z.string().min(1)).min(1).max(5),
});

const keysFileSchema = z.strictObject({ signature: storedKeySchema, keyExchange: storedKeySchema });

/** The file's JSON shape. */
export type GatewayKeysFile = z.infer<typeof keysFileSchema>;

/** A gateway's two identities, ready to sign and to open what is sealed to it. */
export interface GatewayKeyMaterial {
  signer: Signer;
  keyExchange: KeyExchangeIdentity;
}

/** Why the keys file could not be used: absent (the acquirer has not enrolled yet) or unusable. */
export class GatewayKeysFileError extends Error {
  constructor(
    readonly reason: 'missing' | 'malformed',
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'GatewayKeysFileError';
  }
}

/** Where the keys of `acquirerId` live under the simulators' data folder. */
export function gatewayKeysPath(dataDir: string, acquirerId: string): string {
  return path.join(dataDir, 'acquirers', acquirerId, 'keys.json');
}

async function loadPart(stored: GatewayKeysFile['signature'], purpose: KeyPurpose, file: string) {
  const chain = stored.chain.map((certificate) => parseCertificate(certificate));
  const leaf = chain[0]!;
  // The algorithm field must agree with the certificate, or the key would be imported for the wrong curve or size.
  if (certificateKeyAlgorithm(leaf) !== stored.algorithm) {
    throw new GatewayKeysFileError('malformed', file, `${file}: the ${purpose} key is ${stored.algorithm} but its certificate holds a ${certificateKeyAlgorithm(leaf)} key.`);
  }
  const privateKey = await importPrivateKey(new Uint8Array(Buffer.from(stored.privateKey, 'base64')), stored.algorithm, purpose);
  return { privateKey, chain };
}

/**
 * Reads the keys file. Throws GatewayKeysFileError `missing` when there is no
 * file and `malformed` when it cannot be used; never includes key material in
 * a message.
 */
export async function readGatewayKeys(file: string): Promise<GatewayKeyMaterial> {
  if (!existsSync(file)) throw new GatewayKeysFileError('missing', file, `No gateway keys at ${file}.`);
  let parsed: GatewayKeysFile;
  try {
    const result = keysFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new GatewayKeysFileError('malformed', file, `${file}: ${issue ? `${issue.path.join('.') || '(file)'}: ${issue.message}` : 'invalid'}.`);
    }
    parsed = result.data;
  } catch (error) {
    if (error instanceof GatewayKeysFileError) throw error;
    throw new GatewayKeysFileError('malformed', file, `${file} is not valid JSON.`);
  }
  try {
    const signature = await loadPart(parsed.signature, 'signature', file);
    const keyExchange = await loadPart(parsed.keyExchange, 'keyExchange', file);
    return {
      signer: await createSigner(signature.privateKey, signature.chain),
      keyExchange: await createKeyExchangeIdentity(keyExchange.privateKey, keyExchange.chain),
    };
  } catch (error) {
    if (error instanceof GatewayKeysFileError) throw error;
    // The cause may come from key parsing; its message is generic, never the key itself.
    throw new GatewayKeysFileError('malformed', file, `${file}: a key or certificate cannot be loaded (${error instanceof Error ? error.message : String(error)}).`);
  }
}

async function storePart(identity: { privateKey: CryptoKey; chain: GatewayKeyMaterial['signer']['chain'] }, purpose: KeyPurpose): Promise<GatewayKeysFile['signature']> {
  const leaf = identity.chain[0];
  if (!leaf) throw new Error(`The ${purpose} identity has no certificate.`);
  if (!identity.privateKey.extractable) throw new Error(`The ${purpose} private key is not extractable; generate it with extractable: true to store it.`);
  return {
    algorithm: certificateKeyAlgorithm(leaf),
    privateKey: Buffer.from(await exportPrivateKey(identity.privateKey)).toString('base64'),
    chain: identity.chain.map(certificateToBase64),
  };
}

/**
 * Writes the keys file atomically with mode 0600: a new temporary file in the
 * same folder (created exclusively, so it is never an older file with wider
 * permissions), then a rename over the old one. The private keys must be
 * extractable.
 */
export async function writeGatewayKeys(file: string, keys: GatewayKeyMaterial): Promise<void> {
  const content: GatewayKeysFile = {
    signature: await storePart(keys.signer, 'signature'),
    keyExchange: await storePart(keys.keyExchange, 'keyExchange'),
  };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  try {
    writeFileSync(temporary, JSON.stringify(content, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
