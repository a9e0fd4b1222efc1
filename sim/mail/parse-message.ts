import { randomUUID } from 'node:crypto';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import type { StoredMessage } from './mailbox';

/** The SMTP envelope of a message: who the client said it is from and to. */
export interface Envelope {
  /** MAIL FROM, or null for the null sender (`MAIL FROM:<>`). */
  mailFrom: string | null;
  rcptTo: string[];
}

/**
 * Parses a raw RFC 5322 message into what the mailbox stores. Attachments are
 * not kept: the mailbox is for reading what ServerPOS sends, and dropping their
 * content keeps a full mailbox small.
 */
export async function parseMessage(raw: Buffer, envelope: Envelope, receivedAt = new Date()): Promise<StoredMessage> {
  // textAsHtml is never shown, so mailparser need not build it.
  const parsed = await simpleParser(raw, { skipTextToHtml: true });
  return {
    id: randomUUID(),
    receivedAt: receivedAt.toISOString(),
    from: parsed.from?.text || envelope.mailFrom || '',
    to: envelope.rcptTo,
    subject: parsed.subject ?? '',
    messageId: parsed.messageId ?? null,
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    headers: flattenHeaders(parsed),
  };
}

/**
 * Headers as one string each. A single header takes mailparser's decoded value
 * when it is text or addresses (so encoded words read as text); anything else,
 * and repeated headers such as Received, take the raw lines unfolded.
 */
function flattenHeaders(parsed: ParsedMail): Record<string, string> {
  const rawByKey = new Map<string, string[]>();
  for (const { key, line } of parsed.headerLines) {
    const colon = line.indexOf(':');
    // RFC 5322 unfolding: a line break followed by white space is removed, the white space kept.
    const value = (colon === -1 ? '' : line.slice(colon + 1)).replace(/\r?\n(?=[ \t])/g, '').trim();
    const values = rawByKey.get(key) ?? [];
    values.push(value);
    rawByKey.set(key, values);
  }
  // Object.fromEntries defines own properties, so a header named "__proto__" stays a plain key.
  return Object.fromEntries(
    [...rawByKey].map(([key, rawValues]) => {
      const decoded = rawValues.length === 1 ? decodedText(parsed.headers.get(key)) : undefined;
      return [key, decoded ?? rawValues.join('\n')];
    }),
  );
}

function decodedText(value: HeaderValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (isAddressObject(value)) return value.text;
  return undefined;
}

function isAddressObject(value: HeaderValue | undefined): value is AddressObject {
  return typeof value === 'object' && !(value instanceof Date) && !Array.isArray(value) && 'text' in value && 'value' in value && Array.isArray(value.value);
}
