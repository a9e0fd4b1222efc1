/**
 * `npm run sim:shop`: the sample web shop on 127.0.0.1 (port from sim/sim.config.json's "shop", or
 * SHOP_PORT), selling through the ServerPOS at SERVERPOS_URL with the POS API key in SHOP_API_KEY (or the
 * one `npm run demo` made for it). State in <dataDir>/shop/state.json.
 */
import { ServerPosClient } from '../../sdk';
import { loadSimConfig } from '../config';
import { simLog } from '../shared/http';
import { readShopConfig } from './config';
import { startShopServer } from './server';

try {
  const result = readShopConfig(process.env, loadSimConfig());
  if (!result.ok) throw new Error(result.error);
  const { config } = result;
  const client = new ServerPosClient({ baseUrl: config.serverposUrl, apiKey: config.apiKey });
  const shop = await startShopServer({ config, client });
  simLog('shop', 'listening', { url: config.publicUrl, port: shop.port, serverpos: config.serverposUrl });
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    void shop.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`shop: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
