/**
 * `npm run demo`: everything on one machine, with nothing to install but Node.
 * Builds the app for production when the build is missing or older than the
 * sources, then starts the embedded database (unless DATABASE_URL is set), the
 * local mail server, the worker and the app, and prints where to go.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '@/lib/db/paths';
import { buildApp, buildIsStale, startStack } from './stack';

const directory = dataDir();

try {
  if (buildIsStale()) {
    console.log('Building the app for production (first run or sources changed)…');
    await buildApp();
  }
  const stack = await startStack({
    dataDir: directory,
    appPort: 3000,
    smtpPort: 1025,
    mailHttpPort: 8025,
    embeddedDbPort: 54320,
    databaseUrl: process.env.DATABASE_URL || undefined,
    simulators: { configFile: process.env.SIM_CONFIG ?? path.join('sim', 'sim.config.json'), dataDir: path.join(directory, 'sim') },
    shop: {},
  });
  const sims = stack.simulators!;
  const summary = {
    app: stack.appUrl,
    console: `${stack.appUrl}/console`,
    operatorConsole: `${stack.appUrl}/operator`,
    signUp: `${stack.appUrl}/signup`,
    sampleShop: stack.shopUrl,
    mailInbox: stack.mailUrl,
    smtp: stack.smtpUrl,
    database: process.env.DATABASE_URL ? 'DATABASE_URL' : stack.databaseUrl,
    certificateAuthority: sims.caUrl,
    acquirers: sims.acquirers,
    logins: stack.logins,
  };
  await writeFile(path.join(directory, 'demo.json'), JSON.stringify(summary, null, 2) + '\n', { mode: 0o600 });
  const storeLines = stack.logins.stores.map((store) => `    ${store.storeName.padEnd(14)} ${store.email}  /  ${store.password}`).join('\n');
  console.log(`
ServerPOS demo is running.

  Store console     ${summary.console}
  Operator console  ${summary.operatorConsole}
  Sign up           ${summary.signUp}
  Sample shop       ${summary.sampleShop}   (Sakura Books: add to cart, check out on ServerPOS, e.g. with card 4111 1111 1111 1111)
  Mail inbox        ${summary.mailInbox}   (every e-mail ServerPOS sends lands here)
  CA (sandbox)      ${sims.caUrl}
  Acquirers         ${Object.entries(sims.acquirers).map(([id, urls]) => `${id} ${urls.gatewayUrl} (admin ${urls.adminUrl})`).join('\n                    ')}
  Test cards        sim/README.md
  Database          ${process.env.DATABASE_URL ? 'PostgreSQL from DATABASE_URL' : `embedded PGlite in ${path.relative(process.cwd(), directory)}/pglite, served at ${stack.databaseUrl}`}

  Demo logins
    Operator       ${stack.logins.operator.email}  /  ${stack.logins.operator.password}
${storeLines}

  The same is in ${path.relative(process.cwd(), path.join(directory, 'demo.json'))}. Press Ctrl-C to stop everything.
`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await stack.stop();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
