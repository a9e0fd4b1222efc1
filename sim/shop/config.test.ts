import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimConfig } from '../config';
import { readShopConfig } from './config';

const simConfig = { dataDir: '.data/sim', serverposUrl: 'http://localhost:3000', shop: { port: 7200, name: 'Sakura Books' } } as SimConfig;

describe('readShopConfig', () => {
  it('takes port and name from the config file, the key from SHOP_API_KEY, and derives the rest', () => {
    expect(readShopConfig({ SHOP_API_KEY: 'spk_key' }, simConfig)).toEqual({
      ok: true,
      config: { name: 'Sakura Books', port: 7200, publicUrl: 'http://127.0.0.1:7200', serverposUrl: 'http://localhost:3000', apiKey: 'spk_key', dataDir: path.join('.data/sim', 'shop') },
    });
  });

  it('lets the environment override port, URLs and data folder', () => {
    const result = readShopConfig({ SHOP_API_KEY: 'spk_key', SHOP_PORT: '7300', SHOP_PUBLIC_URL: 'https://shop.example/', SERVERPOS_URL: 'https://pay.example', SHOP_DATA_DIR: '/tmp/shop' }, simConfig);
    expect(result).toMatchObject({ ok: true, config: { port: 7300, publicUrl: 'https://shop.example', serverposUrl: 'https://pay.example', dataDir: '/tmp/shop' } });
  });

  it('falls back to the key the demo left in local.json, and otherwise says how to get one', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'shop-config-'));
    writeFileSync(path.join(dataDir, 'local.json'), JSON.stringify({ shopApiKey: 'spk_from_demo' }));
    expect(readShopConfig({ SERVERPOS_DATA_DIR: dataDir }, simConfig)).toMatchObject({ ok: true, config: { apiKey: 'spk_from_demo' } });
    expect(readShopConfig({ SERVERPOS_DATA_DIR: path.join(dataDir, 'none') }, simConfig)).toEqual({ ok: false, error: expect.stringContaining('SHOP_API_KEY is not set') });
  });

  it.each([
    [{ SHOP_PORT: '70000' }, 'SHOP_PORT'],
    [{ SHOP_PORT: '0x10' }, 'SHOP_PORT'],
    [{ SERVERPOS_URL: 'localhost:3000' }, 'SERVERPOS_URL'],
    [{ SHOP_PUBLIC_URL: 'ftp://shop.example' }, 'SHOP_PUBLIC_URL'],
  ])('refuses %j, naming the variable', (environment, variable) => {
    const result = readShopConfig({ SHOP_API_KEY: 'spk_key', ...environment }, simConfig);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(new RegExp(`^${variable} `));
  });
});
