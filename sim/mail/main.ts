/**
 * `npm run mail` and the stack start this: the local mail server on the ports
 * in MAIL_SMTP_PORT and MAIL_HTTP_PORT, until SIGINT or SIGTERM.
 */
import { readMailServerConfig } from './config';
import { startMailServer } from './mail-server';

async function main(): Promise<void> {
  const result = readMailServerConfig(process.env);
  if (!result.ok) {
    console.error(`mail: ${result.error}`);
    process.exit(1);
  }
  const server = await startMailServer(result.config);
  console.log(`mail: SMTP on ${server.smtpUrl}, inbox at ${server.httpUrl}`);

  let stopping = false;
  const shutDown = (signal: NodeJS.Signals) => {
    // A second signal means whoever sent it no longer wants to wait.
    if (stopping) process.exit(1);
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`mail: stopping after ${signal} failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);
}

main().catch((error: unknown) => {
  console.error(`mail: could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
