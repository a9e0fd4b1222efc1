import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '@/lib/pki';
import { createKeyExchangeIdentity, createSigner } from '@/lib/set';
import { createWorld, type World } from '@/lib/set/testing/world';
import { gatewayKeysPath, GatewayKeysFileError, readGatewayKeys, writeGatewayKeys, type GatewayKeyMaterial } from './keys-file';

let world: World;
let keys: GatewayKeyMaterial;
const folder = mkdtempSync(path.join(tmpdir(), 'keys-file-'));

/** Gateway keys as the simulator makes them: extractable, certified under the world's gateway CA. */
async function extractableGatewayKeys(world: World, acquirerId: string): Promise<GatewayKeyMaterial> {
  const gatewayCa = world.hierarchy.brands.VISA!.gatewayCa;
  const above = world.gateways.a.signer.chain.slice(1);
  const signature = await generateKeyPair({ algorithm: 'P-256', purpose: 'signature', extractable: true });
  const keyExchange = await generateKeyPair({ algorithm: 'P-256', purpose: 'keyExchange', extractable: true });
  return {
    signer: await createSigner(signature.privateKey, [await world.issueLeaf(gatewayCa, { role: 'gateway', usage: 'signature', acquirerId }, signature.publicKey), ...above]),
    keyExchange: await createKeyExchangeIdentity(keyExchange.privateKey, [await world.issueLeaf(gatewayCa, { role: 'gateway', usage: 'keyExchange', acquirerId }, keyExchange.publicKey), ...above]),
  };
}

async function failure(promise: Promise<unknown>): Promise<GatewayKeysFileError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayKeysFileError)) throw new Error(`expected a GatewayKeysFileError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  world = await createWorld({ algorithm: 'P-256' });
  keys = await extractableGatewayKeys(world, 'ACQ-A');
}, 60_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('gateway keys file', () => {
  it('writes 0600 and reads back the same identities', async () => {
    const file = gatewayKeysPath(folder, 'ACQ-A');
    expect(file).toBe(path.join(folder, 'acquirers', 'ACQ-A', 'keys.json'));
    await writeGatewayKeys(file, keys);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { signature: { algorithm: string; chain: string[] } };
    expect(stored.signature.algorithm).toBe('P-256');
    expect(stored.signature.chain).toEqual(keys.signer.x5c);

    const read = await readGatewayKeys(file);
    expect(read.signer.x5c).toEqual(keys.signer.x5c);
    expect(read.signer.alg).toBe('ES256');
    expect(read.signer.privateKey.extractable).toBe(false);
    expect(read.keyExchange.thumbprint).toBe(keys.keyExchange.thumbprint);
    expect(read.keyExchange.alg).toBe('ECDH-ES');
    const validated = await world.party().validator.validate(read.signer.x5c, { usage: 'signature', roles: ['gateway'] });
    expect(validated.identity.acquirerId).toBe('ACQ-A');
  });

  it('replaces the file whole on a second write and leaves no temporary file', async () => {
    const file = gatewayKeysPath(folder, 'ACQ-REPLACE');
    await writeGatewayKeys(file, keys);
    const other = await extractableGatewayKeys(world, 'ACQ-REPLACE');
    await writeGatewayKeys(file, other);
    expect((await readGatewayKeys(file)).signer.x5c).toEqual(other.signer.x5c);
    expect(readdirSync(path.dirname(file))).toEqual(['keys.json']);
  });

  it('refuses to store a key it cannot export', async () => {
    const sealed = { ...keys, signer: world.gateways.a.signer };
    await expect(writeGatewayKeys(path.join(folder, 'unexportable.json'), sealed)).rejects.toThrow(/not extractable/);
  });

  it('says missing when there is no file', async () => {
    expect((await failure(readGatewayKeys(path.join(folder, 'absent.json')))).reason).toBe('missing');
  });

  it('says malformed for broken JSON, a wrong shape, or an algorithm that disagrees with the certificate', async () => {
    const broken = path.join(folder, 'broken.json');
    writeFileSync(broken, '{ not json');
    expect((await failure(readGatewayKeys(broken))).reason).toBe('malformed');

    const shape = path.join(folder, 'shape.json');
    writeFileSync(shape, JSON.stringify({ signature: { algorithm: 'P-256', privateKey: 'AA==', chain: [] } }));
    expect((await failure(readGatewayKeys(shape))).reason).toBe('malformed');

    const good = JSON.parse(readFileSync(gatewayKeysPath(folder, 'ACQ-A'), 'utf8')) as { signature: { algorithm: string } };
    good.signature.algorithm = 'RSA-2048';
    const mismatch = path.join(folder, 'mismatch.json');
    writeFileSync(mismatch, JSON.stringify(good));
    const error = await failure(readGatewayKeys(mismatch));
    expect(error.reason).toBe('malformed');
    expect(error.message).toMatch(/RSA-2048/);
  });
});
