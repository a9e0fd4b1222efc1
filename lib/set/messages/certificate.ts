import { createCsr, generateKeyPair, verifyCsr, x509, type KeyAlgorithm, type SubjectName, type ValidatedCertificate, parseCertificate, certificateToBase64 } from '@/lib/pki';
import { base64UrlOf, fromBase64Url, randomId } from '../encoding';
import { checkEnvelope, protectedHeaderOf, unseal, verifyCompact, verifySigned } from '../envelope/open';
import { signWithBareKey, SIGNED_TYPE } from '../envelope/sign';
import { seal } from '../envelope/seal';
import { asSetError, SetError } from '../errors';
import { createKeyExchangeIdentity, createSigner, recipientFromSpki, type KeyExchangeIdentity, type Recipient, type Signer } from '../keys';
import { messageTime, parseMessage, partyNow, sendSigned, type Party } from '../protocol';
import { checkTime, DEFAULT_MAX_SKEW_SECONDS } from '../freshness';
import type { MessageOf, Result } from '../schemas';

export type CertReq = MessageOf<'CertReq'>;
export type CertRes = MessageOf<'CertRes'>;

/** The new keys a POS generates for one acquirer, before the CA has certified them. */
export interface PendingKeys {
  signature: { publicKey: CryptoKey; privateKey: CryptoKey };
  keyExchange: { publicKey: CryptoKey; privateKey: CryptoKey };
  algorithm: KeyAlgorithm;
}

/** Generates the signature and key-exchange key pairs of a POS for one acquirer (native crypto). */
export async function generatePosKeys(algorithm: KeyAlgorithm, extractable = false): Promise<PendingKeys> {
  const [signature, keyExchange] = await Promise.all([
    generateKeyPair({ algorithm, purpose: 'signature', extractable }),
    generateKeyPair({ algorithm, purpose: 'keyExchange', extractable }),
  ]);
  return { signature, keyExchange, algorithm };
}

/**
 * POS: asks the CA for its two certificates. The CSR proves possession of the
 * signature key; the whole request is signed by that key too (binding the
 * key-exchange key to the same requester) and sealed to the CA, since the
 * acquisition number is a one-time secret.
 */
export async function createCertReq(input: {
  keys: PendingKeys;
  acquisitionNumber: string;
  requester: CertReq['requester'];
  subject: SubjectName;
  ca: Recipient;
  party?: Pick<Party, 'clock'>;
}): Promise<{ message: CertReq; raw: string }> {
  const keyExchangeSpki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', input.keys.keyExchange.publicKey));
  const message: CertReq = {
    msg: 'CertReq',
    v: 1,
    rrpid: randomId(),
    time: messageTime(input.party),
    acquisitionNumber: input.acquisitionNumber,
    requester: input.requester,
    subject: { commonName: input.subject.commonName, ...(input.subject.organization ? { organization: input.subject.organization } : {}) },
    signatureCsr: await createCsr({ keys: input.keys.signature, subject: input.subject }),
    keyExchangePublicKey: base64UrlOf(keyExchangeSpki),
  };
  const alg = input.keys.algorithm === 'P-256' ? 'ES256' : 'PS256';
  const jws = await signWithBareKey(JSON.stringify(message), input.keys.signature.privateKey, alg);
  return { message, raw: await seal(jws, input.ca) };
}

/** What the CA learns from a CertReq whose signatures check out. */
export interface OpenedCertReq {
  message: CertReq;
  signaturePublicKey: Uint8Array;
  keyExchangePublicKey: Uint8Array;
  algorithm: KeyAlgorithm;
  /** Where CertRes goes: sealed to the new key-exchange key, which proves its possession. */
  replyTo: Recipient;
}

/**
 * CA: opens a CertReq sealed to it, checks the CSR's proof of possession and
 * that the request is signed by the same key. Checking the acquisition
 * number with the acquirer is the CA's own business.
 */
export async function openCertReq(raw: unknown, options: { party: Party; ca: KeyExchangeIdentity }): Promise<OpenedCertReq> {
  const jws = checkEnvelope(await unseal(raw, options.ca, options.party.maxMessageBytes), 'jws');
  const [, encodedPayload] = jws.split('.') as [string, string, string];
  const header = protectedHeaderOf(jws);
  if (header.typ !== SIGNED_TYPE) throw new SetError('malformed_message', 'The CertReq is not a signed SET message.');
  // The key that signed it is in the CSR inside it: read the payload first, then prove the signature.
  let payloadText: string;
  try {
    payloadText = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(encodedPayload));
  } catch {
    throw new SetError('malformed_message', 'The CertReq is not a valid JWS.');
  }
  const message = parseMessage(payloadText, ['CertReq']);
  checkTime(message.time, partyNow(options.party), options.party.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS);
  const csr = await asSetError(() => verifyCsr(message.signatureCsr));
  const isEc = csr.algorithm === 'P-256';
  const alg = isEc ? 'ES256' : 'PS256';
  if (header.alg !== alg) throw new SetError('unsupported_algorithm', 'The CertReq is signed with the wrong algorithm.');
  const verifyKey = await globalThis.crypto.subtle.importKey('spki', new Uint8Array(csr.publicKey), isEc ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['verify']);
  await verifyCompact(jws, verifyKey, alg).catch((error: unknown) => {
    if (error instanceof SetError && error.code === 'signature_invalid') throw new SetError('signature_invalid', 'The CertReq is not signed by the key its CSR certifies.');
    throw error;
  });
  const fresh = !options.party.replayCache || await options.party.replayCache.remember(`CertReq|${encodedPayload.slice(-43)}|${message.rrpid}|${message.time}`, new Date(partyNow(options.party).getTime() + 2 * 1000 * (options.party.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS)));
  if (!fresh) throw new SetError('replayed_message', 'This CertReq was already received.');
  let keyExchangePublicKey: Uint8Array;
  try {
    keyExchangePublicKey = fromBase64Url(message.keyExchangePublicKey);
    const algorithm = new x509.PublicKey(new Uint8Array(keyExchangePublicKey)).algorithm as Algorithm & { modulusLength?: number; namedCurve?: string };
    const keyExchangeAlgorithm: KeyAlgorithm | undefined = algorithm.namedCurve === 'P-256' ? 'P-256' : algorithm.modulusLength === 2048 ? 'RSA-2048' : algorithm.modulusLength === 3072 ? 'RSA-3072' : undefined;
    if (keyExchangeAlgorithm !== csr.algorithm) throw new Error('mismatch');
  } catch {
    throw new SetError('invalid_message', 'The key-exchange public key is not a key of the same algorithm as the signature key.');
  }
  const kid = base64UrlOf(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new Uint8Array(keyExchangePublicKey))));
  return {
    message,
    signaturePublicKey: csr.publicKey,
    keyExchangePublicKey,
    algorithm: csr.algorithm,
    replyTo: await recipientFromSpki(keyExchangePublicKey, kid, isEc),
  };
}

/** CA: answers with the two chains (or a refusal), signed by the CA service and sealed to the requester's new key-exchange key. */
export async function createCertRes(input: {
  request: OpenedCertReq;
  result: Result;
  signatureChain?: x509.X509Certificate[];
  keyExchangeChain?: x509.X509Certificate[];
  signer: Signer;
  party?: Pick<Party, 'clock'>;
}): Promise<{ message: CertRes; raw: string }> {
  const toX5c = (chain: x509.X509Certificate[]) => chain.map(certificateToBase64);
  const message: CertRes = {
    msg: 'CertRes',
    v: 1,
    rrpid: input.request.message.rrpid,
    time: messageTime(input.party),
    result: input.result,
    ...(input.signatureChain ? { signatureChain: toX5c(input.signatureChain) } : {}),
    ...(input.keyExchangeChain ? { keyExchangeChain: toX5c(input.keyExchangeChain) } : {}),
  };
  return { message, raw: await sendSigned(message, input.signer, input.request.replyTo) };
}

/** What a POS holds once its certificates arrived and validated. */
export interface IssuedPosKeys {
  message: CertRes;
  signer?: Signer;
  keyExchange?: KeyExchangeIdentity;
  signatureCertificate?: ValidatedCertificate;
  keyExchangeCertificate?: ValidatedCertificate;
}

/**
 * POS: opens CertRes with its new key-exchange key, checks it answers this
 * request, validates both chains, and checks that they certify exactly the
 * keys it generated.
 */
export async function openCertRes(raw: unknown, options: { party: Party; request: CertReq; keys: PendingKeys }): Promise<IssuedPosKeys> {
  const spki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', options.keys.keyExchange.publicKey));
  const kid = base64UrlOf(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', spki)));
  const me = { privateKey: options.keys.keyExchange.privateKey, chain: [], x5c: [], thumbprint: kid, alg: options.keys.algorithm === 'P-256' ? 'ECDH-ES' : 'RSA-OAEP-256' } as KeyExchangeIdentity;
  const jws = await unseal(raw, me, options.party.maxMessageBytes);
  const { payload } = await verifySigned(jws, options.party.validator, ['ca-service'], options.party.maxMessageBytes);
  const message = parseMessage(payload, ['CertRes']);
  checkTime(message.time, partyNow(options.party), options.party.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS);
  if (message.rrpid !== options.request.rrpid) throw new SetError('rrpid_mismatch', 'The CertRes is not for this request.');
  if (message.result.status !== 'approved') return { message };
  if (!message.signatureChain || !message.keyExchangeChain) throw new SetError('invalid_message', 'An approved CertRes carries both chains.');
  const signatureCertificate = await asSetError(() => options.party.validator.validate(message.signatureChain!, { usage: 'signature', roles: ['merchant'] }));
  const keyExchangeCertificate = await asSetError(() => options.party.validator.validate(message.keyExchangeChain!, { usage: 'keyExchange', roles: ['merchant'] }));
  const signatureSpki = new Uint8Array(await globalThis.crypto.subtle.exportKey('spki', options.keys.signature.publicKey));
  const same = (left: Uint8Array, right: ArrayBuffer) => base64UrlOf(left) === base64UrlOf(new Uint8Array(right));
  if (!same(signatureSpki, signatureCertificate.certificate.publicKey.rawData) || !same(spki, keyExchangeCertificate.certificate.publicKey.rawData)) {
    throw new SetError('identity_mismatch', 'The certificates are not for the keys this POS generated.');
  }
  const chainOf = (x5c: string[]) => x5c.map((entry) => parseCertificate(entry));
  return {
    message,
    signatureCertificate,
    keyExchangeCertificate,
    signer: await createSigner(options.keys.signature.privateKey, chainOf(message.signatureChain)),
    keyExchange: await createKeyExchangeIdentity(options.keys.keyExchange.privateKey, chainOf(message.keyExchangeChain)),
  };
}
