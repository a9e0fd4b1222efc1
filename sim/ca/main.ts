/** `npm run sim:ca`: the simulated certificate authority, from sim/sim.config.json (or SIM_CONFIG). */
import { setCryptoBackend } from '@/lib/set';
import { nodeCryptoBackend } from '@/lib/set/crypto/node';
import { loadSimConfig } from '../config';
import { simLog } from '../shared/http';
import { CertificateAuthority } from './authority';
import { startCaServer } from './server';

// A server: OpenSSL directly rather than through WebCrypto's thread pool (lib/set/crypto/backend.ts).
setCryptoBackend(nodeCryptoBackend);

try {
  const config = loadSimConfig();
  const authority = await CertificateAuthority.open(config);
  const server = await startCaServer(config, authority);
  simLog('ca', 'listening', { url: `http://127.0.0.1:${server.port}` });
  const stop = () => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`ca: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
