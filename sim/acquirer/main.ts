/**
 * `npm run sim:acquirer -- <acquirerId>`: one simulated acquirer (gateway,
 * registry, ledger, issuers, fault injection) from sim/sim.config.json (or
 * SIM_CONFIG). On its first start it enrols its gateway with the CA; its
 * keys, registry and ledger live under <dataDir>/acquirers/<acquirerId>/.
 */
import { setCryptoBackend } from '@/lib/set';
import { nodeCryptoBackend } from '@/lib/set/crypto/node';
import path from 'node:path';
import { InMemoryCrlStore } from '@/lib/pki';
import { loadSimConfig } from '../config';
import { fetchFromCa, partyFor, pinnedRoot, startCrlPolling } from '../shared/ca-client';
import { simLog } from '../shared/http';
import { enrolGateway } from './enrol';
import { Gateway } from './gateway';
import { gatewayKeysPath, GatewayKeysFileError, readGatewayKeys, writeGatewayKeys } from './keys-file';
import { Ledger } from './ledger';
import { MerchantRegistry } from './registry';
import { startAcquirerServers } from './server';

const acquirerId = process.argv[2] ?? process.env.ACQUIRER_ID;

// A server: OpenSSL directly rather than through WebCrypto's thread pool (lib/set/crypto/backend.ts).
setCryptoBackend(nodeCryptoBackend);

try {
  const config = loadSimConfig();
  const acquirer = config.acquirers.find((entry) => entry.id === acquirerId);
  if (!acquirer) throw new Error(`name one of the configured acquirers: ${config.acquirers.map((entry) => entry.id).join(', ')}`);
  const stateDir = path.join(config.dataDir, 'acquirers', acquirer.id);
  await fetchFromCa(config, '/health');
  const root = await pinnedRoot(config, stateDir);
  const crls = new InMemoryCrlStore();
  const stopPolling = await startCrlPolling(config, crls, (message) => simLog(acquirer.id, 'CRL refresh failed', { error: message }));

  const keysFile = gatewayKeysPath(config.dataDir, acquirer.id);
  let keys;
  try {
    keys = await readGatewayKeys(keysFile);
  } catch (error) {
    if (!(error instanceof GatewayKeysFileError && error.reason === 'missing')) throw error;
    keys = await enrolGateway(config, acquirer);
    await writeGatewayKeys(keysFile, keys);
    simLog(acquirer.id, 'gateway enrolled with the CA');
  }
  // A gateway answers repeats from its ledger, so it keeps no replay cache of its own (lib/set Party).
  const party = partyFor(root, crls, { replayCache: false });
  await party.validator.validate(keys.signer.x5c, { usage: 'signature', roles: ['gateway'] });
  await party.validator.validate(keys.keyExchange.x5c, { usage: 'keyExchange', roles: ['gateway'] });

  const registry = new MerchantRegistry(acquirer, config.dataDir);
  const ledger = new Ledger(acquirer.id, config.dataDir);
  const gateway = new Gateway(acquirer, keys, party, registry, ledger);
  const servers = await startAcquirerServers({ config, acquirer, gateway, registry, ledger });
  simLog(acquirer.id, 'listening', { gateway: `http://127.0.0.1:${servers.gatewayPort}/set`, admin: `http://127.0.0.1:${servers.adminPort}/admin`, brands: acquirer.brands });
  const stop = () => {
    stopPolling();
    void servers.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`acquirer ${acquirerId ?? '(none)'}: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
