import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Mailbox } from './mailbox';
import { parseMessage } from './parse-message';

export const DEFAULT_MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export interface SmtpOptions {
  mailbox: Mailbox;
  /** Messages larger than this are refused with 552 (RFC 5321 §4.5.3.1.10). */
  maxMessageBytes: number;
  /** Where connection errors are reported; they never stop the server. */
  reportError: (message: string) => void;
}

/** An SMTP error reply: smtp-server sends `responseCode` and the message to the client. */
class SmtpReply extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The receiving side of the local mail server: plain SMTP on a loopback port,
 * no AUTH and no STARTTLS, because the only sender is ServerPOS on the same
 * machine. Every accepted message is parsed and put into the mailbox.
 */
export function createSmtpServer(options: SmtpOptions): SMTPServer {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: options.maxMessageBytes,
    // No DNS on the way in: the client is local and the lookup only costs time.
    disableReverseLookup: true,
    banner: 'ServerPOS local mail server',
    logger: false,
    // stop() should not hang on a client that keeps its connection open; it gets a 421 after this.
    closeTimeout: 1_000,
    onData(stream, session, callback) {
      receive(stream, session, options).then(
        () => callback(),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  // A listener must always be attached (an unhandled 'error' would crash the process), but an
  // error before the server listens is the listen failure, which startMailServer already throws.
  server.on('error', (error) => {
    if (server.server.listening) options.reportError(`SMTP error: ${error.message}`);
  });
  return server;
}

async function receive(stream: SMTPServerDataStream, session: SMTPServerSession, options: SmtpOptions): Promise<void> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  // The whole stream must be read for the server to answer, but past the limit nothing more is kept.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes <= options.maxMessageBytes) chunks.push(chunk);
  }
  if (stream.sizeExceeded || bytes > options.maxMessageBytes) {
    throw new SmtpReply(552, `Message exceeds fixed maximum message size of ${options.maxMessageBytes} bytes`);
  }
  let message;
  try {
    message = await parseMessage(Buffer.concat(chunks), {
      mailFrom: addressOf(session.envelope.mailFrom),
      rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
    });
  } catch (error) {
    options.reportError(`could not parse a message: ${error instanceof Error ? error.message : String(error)}`);
    throw new SmtpReply(554, 'Message could not be parsed');
  }
  options.mailbox.add(message);
}

function addressOf(mailFrom: SMTPServerAddress | false): string | null {
  return mailFrom && mailFrom.address ? mailFrom.address : null;
}
