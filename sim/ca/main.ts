/** `npm run sim:ca`: the simulated certificate authority, from sim/sim.config.json (or SIM_CONFIG). */
import { loadSimConfig } from '../config';
import { simLog } from '../shared/http';
import { CertificateAuthority } from './authority';
import { startCaServer } from './server';

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
