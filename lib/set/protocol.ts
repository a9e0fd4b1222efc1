import type { CertificateRole, ChainValidator, ValidatedCertificate } from '@/lib/pki';
import { checkEnvelope, DEFAULT_MAX_MESSAGE_BYTES, unseal, verifySigned } from './envelope/open';
import { seal } from './envelope/seal';
import { signPayload } from './envelope/sign';
import { SetError } from './errors';
import { checkTime, DEFAULT_MAX_SKEW_SECONDS, type ReplayCache } from './freshness';
import type { KeyExchangeIdentity, Recipient, Signer } from './keys';
import { messageSchemas, type MessageOf, type MessageType } from './schemas';

/** What a party needs to receive messages: its trust, its clock, its memory of what it has seen. */
export interface Party {
  validator: ChainValidator;
  /**
   * Refuses the same request bytes twice. A gateway may go without one: it
   * answers a repeated request from its ledger (same XID and RRPID, same
   * answer, no second entry), which makes a replay harmless — and the answer
   * is sealed to the merchant, so the replayer learns nothing.
   */
  replayCache?: ReplayCache;
  clock?: () => Date;
  maxSkewSeconds?: number;
  maxMessageBytes?: number;
}

export function partyNow(party: Pick<Party, 'clock'>): Date {
  return party.clock ? party.clock() : new Date();
}

/** A message's `time` field: now, to the millisecond, in UTC. */
export function messageTime(party?: Pick<Party, 'clock'>): string {
  return (party ? partyNow(party) : new Date()).toISOString();
}

/** Parses JSON text as the message type `type`; refuses another type, an unknown field or a wrong value. */
export function parseMessage<K extends MessageType>(text: string, types: readonly K[]): MessageOf<K> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SetError('malformed_message', 'The message is not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SetError('malformed_message', 'The message is not a JSON object.');
  const type = (value as { msg?: unknown }).msg;
  if (typeof type !== 'string' || !types.includes(type as K)) {
    throw new SetError('unexpected_message_type', `Expected ${types.join(' or ')}, got ${typeof type === 'string' ? type.slice(0, 20) : 'no type'}.`);
  }
  const parsed = messageSchemas[type as K].safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SetError('invalid_message', `${type}: ${issue ? `${issue.path.join('.') || '(message)'}: ${issue.message}` : 'invalid'}.`);
  }
  return parsed.data as MessageOf<K>;
}

/** Signs a message (and seals it, when a recipient is given). */
export async function sendSigned(message: { msg: MessageType }, signer: Signer, recipient?: Recipient): Promise<string> {
  const jws = await signPayload(JSON.stringify(message), signer);
  return recipient ? seal(jws, recipient) : jws;
}

/** An unsigned message as JSON text (PInitReq and PReq from a cardholder without a certificate). */
export function sendUnsigned(message: { msg: MessageType }): string {
  return JSON.stringify(message);
}

export interface Received<M> {
  message: M;
  signer: ValidatedCertificate;
}

const isRequest = (type: MessageType) => type.endsWith('Req');

async function checkFreshness(message: { msg: string; rrpid: string; time: string }, party: Party, signerKey: string): Promise<void> {
  const now = partyNow(party);
  const skew = party.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS;
  checkTime(message.time, now, skew);
  if (party.replayCache && isRequest(message.msg as MessageType)) {
    // A retry is re-signed with a new time and passes; the same bytes again are a replay.
    const fresh = await party.replayCache.remember(`${message.msg}|${signerKey}|${message.rrpid}|${message.time}`, new Date(now.getTime() + 2 * skew * 1000));
    if (!fresh) throw new SetError('replayed_message', 'This message was already received.');
  }
}

/**
 * Receives a signed (and, with `me`, sealed) message: unseal, validate the
 * signer's chain and role, verify the signature, parse the type, check time
 * and replay. `Error` is accepted beside the expected types when `allowError`.
 */
export async function receiveSigned<K extends MessageType>(
  raw: unknown,
  options: { types: readonly K[]; party: Party; signerRoles: readonly CertificateRole[]; me?: KeyExchangeIdentity },
): Promise<Received<MessageOf<K>>> {
  const maxBytes = options.party.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const jws = options.me ? await unseal(raw, options.me, maxBytes) : raw;
  const { payload, signer } = await verifySigned(jws, options.party.validator, options.signerRoles, maxBytes);
  const message = parseMessage(payload, options.types);
  await checkFreshness(message, options.party, signer.thumbprint);
  return { message, signer };
}

/** Receives an unsigned JSON message (PInitReq, PReq), with the same size, type, time and replay checks. */
export async function receiveUnsigned<K extends MessageType>(raw: unknown, options: { types: readonly K[]; party: Party }): Promise<MessageOf<K>> {
  const maxBytes = options.party.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (typeof raw !== 'string') throw new SetError('malformed_message', 'The message must be JSON text.');
  if (raw.length > maxBytes) throw new SetError('message_too_large', `A SET message is at most ${maxBytes} bytes.`);
  const message = parseMessage(raw, options.types);
  await checkFreshness(message, options.party, 'cardholder');
  return message;
}

export { checkEnvelope };
