import type { Server } from 'node:net';
import { createHttpServer } from './http';
import { createMailbox, DEFAULT_MAX_MESSAGES } from './mailbox';
import { createSmtpServer, DEFAULT_MAX_MESSAGE_BYTES } from './smtp';

export interface MailServerOptions {
  /** Interface both servers listen on; loopback by default so the inbox is not reachable from the network. */
  host?: string;
  /** 0 picks any free port; read the chosen one from the result. */
  smtpPort: number;
  /** 0 picks any free port; read the chosen one from the result. */
  httpPort: number;
  /** Messages kept before the oldest is dropped; 1000 by default. */
  maxMessages?: number;
  /** Largest message accepted over SMTP, in bytes; 5 MB by default. */
  maxMessageBytes?: number;
  /** Where errors that do not stop the server are reported; stderr by default. */
  reportError?: (message: string) => void;
}

export interface RunningMailServer {
  smtpPort: number;
  httpPort: number;
  /** `smtp://host:port`, what nodemailer's createTransport takes. */
  smtpUrl: string;
  /** The inbox page, with a trailing slash; the API is under `api/messages`. */
  httpUrl: string;
  /** Closes both servers; open SMTP sessions are cut off after a second. */
  stop(): Promise<void>;
}

/**
 * Starts the local mail server: SMTP that accepts every message and an HTTP
 * inbox to read them, sharing one in-memory mailbox. Resolves once both
 * listen; if either cannot, the other is closed again and the error thrown.
 */
export async function startMailServer(options: MailServerOptions): Promise<RunningMailServer> {
  const host = options.host ?? '127.0.0.1';
  const reportError = options.reportError ?? ((message: string) => console.error(`mail: ${message}`));
  const mailbox = createMailbox(options.maxMessages ?? DEFAULT_MAX_MESSAGES);
  const smtp = createSmtpServer({ mailbox, maxMessageBytes: options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES, reportError });

  const smtpPort = await listen(smtp.server, options.smtpPort, host);
  const smtpUrl = `smtp://${urlHost(host)}:${smtpPort}`;
  const closeSmtp = () => new Promise<void>((resolve) => smtp.close(() => resolve()));

  const http = createHttpServer({ mailbox, smtpUrl, reportError });
  let httpPort: number;
  try {
    httpPort = await listen(http, options.httpPort, host);
  } catch (error) {
    await closeSmtp();
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    smtpPort,
    httpPort,
    smtpUrl,
    httpUrl: `http://${urlHost(host)}:${httpPort}/`,
    stop() {
      stopping ??= Promise.all([
        closeSmtp(),
        new Promise<void>((resolve, reject) => {
          http.close((error) => (error ? reject(error) : resolve()));
          // close() drops idle keep-alive sockets itself; a client stuck mid-request would hold it until the request timed out.
          http.closeAllConnections();
        }),
      ]).then(() => undefined);
      return stopping;
    },
  };
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`server on ${host}:${port} has no TCP address`);
  return address.port;
}

/** An IPv6 literal needs brackets inside a URL. */
function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
