/**
 * The sample shop's settings: its port and name from the simulators' config file (`"shop": { … }`), the
 * rest from the environment. The POS API key never sits in a config file: SHOP_API_KEY, or else the one the
 * demo created for the shop and left in its data folder's local.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { SimConfig } from '../config';

/** Without a "shop" entry in the config file. */
export const DEFAULT_SHOP = { port: 7200, name: 'Sakura Books' } as const;

export interface ShopConfig {
  name: string;
  port: number;
  /** Where customers reach the shop; the return URLs given to ServerPOS point here. */
  publicUrl: string;
  /** ServerPOS's base URL (its POS API and webhook keys). */
  serverposUrl: string;
  apiKey: string;
  /** Where the shop keeps its state (state.json). */
  dataDir: string;
}

export type ShopConfigResult = { ok: true; config: ShopConfig } | { ok: false; error: string };

/**
 * Reads SHOP_PORT, SHOP_PUBLIC_URL, SERVERPOS_URL, SHOP_API_KEY and SHOP_DATA_DIR over the config file's
 * values. An error names the variable.
 */
export function readShopConfig(environment: Record<string, string | undefined>, simConfig: SimConfig): ShopConfigResult {
  const value = (name: string) => {
    const raw = environment[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };

  let port = simConfig.shop?.port ?? DEFAULT_SHOP.port;
  const portText = value('SHOP_PORT');
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return { ok: false, error: `SHOP_PORT must be a port number from 0 to 65535, got ${JSON.stringify(portText)}` };
    port = Number(portText);
  }

  const publicUrl = value('SHOP_PUBLIC_URL') ?? `http://127.0.0.1:${port}`;
  const serverposUrl = value('SERVERPOS_URL') ?? simConfig.serverposUrl;
  for (const [name, url] of [['SHOP_PUBLIC_URL', publicUrl], ['SERVERPOS_URL', serverposUrl]] as const) {
    if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(url)) return { ok: false, error: `${name} must be an http:// or https:// URL, got ${JSON.stringify(url)}` };
  }

  const apiKey = value('SHOP_API_KEY') ?? demoApiKey(value('SERVERPOS_DATA_DIR') ?? '.data');
  if (!apiKey) {
    return {
      ok: false,
      error: 'SHOP_API_KEY is not set: create a POS API key on the store console’s POS page and pass it as SHOP_API_KEY (or run `npm run demo`, which makes one for the shop)',
    };
  }
  return {
    ok: true,
    config: {
      name: simConfig.shop?.name ?? DEFAULT_SHOP.name,
      port,
      publicUrl: publicUrl.replace(/\/+$/, ''),
      serverposUrl,
      apiKey,
      dataDir: value('SHOP_DATA_DIR') ?? path.join(simConfig.dataDir, 'shop'),
    },
  };
}

function demoApiKey(dataDir: string): string | undefined {
  try {
    const local = JSON.parse(readFileSync(path.join(dataDir, 'local.json'), 'utf8')) as { shopApiKey?: unknown };
    return typeof local.shopApiKey === 'string' ? local.shopApiKey : undefined;
  } catch {
    return undefined;
  }
}
