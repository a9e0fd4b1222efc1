/**
 * The in-memory mailbox of the local mail server: every message it received,
 * newest first, bounded so a long-running demo cannot grow without limit.
 */

/** What the inbox list and `GET /api/messages` show of a message. */
export interface MessageSummary {
  id: string;
  /** ISO 8601 time the SMTP transaction finished. */
  receivedAt: string;
  /** The From header as written, or the envelope sender when the header is missing. */
  from: string;
  /** Envelope recipients (RCPT TO), so Bcc recipients are included. */
  to: string[];
  subject: string;
  /** The Message-ID header, or null when the sender set none. */
  messageId: string | null;
}

/** A received message with its parts, as `GET /api/messages/:id` returns it. */
export interface StoredMessage extends MessageSummary {
  text: string;
  html: string | null;
  /** Header names in lower case; a repeated header's values joined by a line break. */
  headers: Record<string, string>;
}

export interface Mailbox {
  /** Stores a message as the newest, dropping the oldest beyond the limit. */
  add(message: StoredMessage): void;
  /** Newest first; with `to`, only messages one of whose recipients is exactly that address (any case). */
  list(filter?: { to?: string }): MessageSummary[];
  get(id: string): StoredMessage | undefined;
  clear(): void;
  readonly size: number;
}

export const DEFAULT_MAX_MESSAGES = 1000;

/** Creates an empty mailbox that keeps at most `maxMessages` messages. */
export function createMailbox(maxMessages = DEFAULT_MAX_MESSAGES): Mailbox {
  if (!Number.isInteger(maxMessages) || maxMessages < 1) {
    throw new RangeError(`maxMessages must be a positive integer, got ${maxMessages}`);
  }
  // Newest first, so the list needs no sorting and dropping the oldest is a truncation.
  let messages: StoredMessage[] = [];

  return {
    add(message) {
      messages.unshift(message);
      if (messages.length > maxMessages) messages.length = maxMessages;
    },
    list(filter) {
      const wanted = filter?.to?.trim().toLowerCase();
      const matching = wanted ? messages.filter((message) => message.to.some((address) => address.toLowerCase() === wanted)) : messages;
      return matching.map(toSummary);
    },
    get(id) {
      return messages.find((message) => message.id === id);
    },
    clear() {
      messages = [];
    },
    get size() {
      return messages.length;
    },
  };
}

function toSummary(message: StoredMessage): MessageSummary {
  return {
    id: message.id,
    receivedAt: message.receivedAt,
    from: message.from,
    to: message.to,
    subject: message.subject,
    messageId: message.messageId,
  };
}
