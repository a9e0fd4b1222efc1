import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquirerConfigSchema } from '../config';
import { MerchantRegistry } from './registry';

const acquirer = acquirerConfigSchema.parse({ id: 'ACQ-UNIT', name: 'Unit Acquiring', brands: ['VISA'], port: 0, adminPort: 0, merchants: [{ merchantNumber: 'M-1', storeName: 'Unit Books' }] });
const folders: string[] = [];

function registryIn(dataDir = mkdtempSync(path.join(tmpdir(), 'registry-test-'))) {
  folders.push(dataDir);
  return { registry: new MerchantRegistry(acquirer, dataDir), dataDir };
}

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('store information pushed by ServerPOS', () => {
  it('keeps a newer version, with its optional fields, and keeps it across a restart', () => {
    const { registry, dataDir } = registryIn();
    registry.apply({ merchantNumber: 'M-1', storeName: 'Unit Books' });

    const result = registry.receiveInfo('M-1', { version: 2, name: 'Unit Books & Tea', contactEmail: 'shop@unit.example', phone: '+81 3 0000 0000' });

    expect(result).toEqual({ status: 'accepted', info: { version: 2, name: 'Unit Books & Tea', status: 'active', contactEmail: 'shop@unit.example', phone: '+81 3 0000 0000' } });
    expect(new MerchantRegistry(acquirer, dataDir).get('M-1')?.info).toEqual({ version: 2, name: 'Unit Books & Tea', status: 'active', contactEmail: 'shop@unit.example', phone: '+81 3 0000 0000' });
  });

  it('answers stale with its own copy for an equal or older version, and changes nothing', () => {
    const { registry } = registryIn();
    registry.apply({ merchantNumber: 'M-1', storeName: 'Unit Books' });
    registry.change('M-1', { name: 'Renamed at the acquirer', websiteUrl: 'https://unit.example' });
    const held = { version: 2, name: 'Renamed at the acquirer', status: 'active', websiteUrl: 'https://unit.example' };

    expect(registry.receiveInfo('M-1', { version: 2, name: 'Pushed' })).toEqual({ status: 'stale', info: held });
    expect(registry.receiveInfo('M-1', { version: 1, name: 'Pushed' })).toEqual({ status: 'stale', info: held });
    expect(registry.get('M-1')?.info).toEqual(held);
  });

  it('drops a field the pushed copy leaves out', () => {
    const { registry } = registryIn();
    registry.apply({ merchantNumber: 'M-1', storeName: 'Unit Books' });
    registry.receiveInfo('M-1', { version: 2, name: 'Unit Books', phone: '+81 3 0000 0000' });
    expect(registry.receiveInfo('M-1', { version: 3, name: 'Unit Books' })).toEqual({ status: 'accepted', info: { version: 3, name: 'Unit Books', status: 'active' } });
  });

  it('refuses a merchant that has not enrolled, and one that has withdrawn', () => {
    const { registry } = registryIn();
    expect(registry.receiveInfo('M-1', { version: 5, name: 'Unit Books' })).toEqual({ status: 'not_enrolled' });
    expect(registry.receiveInfo('M-404', { version: 5, name: 'Unit Books' })).toEqual({ status: 'not_enrolled' });
    registry.apply({ merchantNumber: 'M-1', storeName: 'Unit Books' });
    registry.withdraw('M-1');
    expect(registry.receiveInfo('M-1', { version: 5, name: 'Unit Books' })).toEqual({ status: 'withdrawn' });
  });
});

describe("the acquirer's own change", () => {
  it('sets and clears optional fields, each change a new version', () => {
    const { registry } = registryIn();
    registry.apply({ merchantNumber: 'M-1', storeName: 'Unit Books' });
    expect(registry.change('M-1', { phone: '+81 3 1111 1111', postalAddress: '1-1 Chiyoda' })?.info).toEqual({ version: 2, name: 'Unit Books', status: 'active', phone: '+81 3 1111 1111', postalAddress: '1-1 Chiyoda' });
    expect(registry.change('M-1', { phone: '' })?.info).toEqual({ version: 3, name: 'Unit Books', status: 'active', postalAddress: '1-1 Chiyoda' });
  });
});
