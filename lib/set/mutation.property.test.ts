/**
 * Property: a random mutation of a signed or sealed SET message never
 * verifies. One character or one byte is flipped, replaced, inserted or
 * deleted — anywhere in the compact serialisation, or aimed at one segment
 * (JWS header, payload, signature; JWE header, encrypted key, IV, ciphertext,
 * tag) — and the opener must refuse with a SetError, never with another kind
 * of error and never by returning a message.
 *
 * The one mutation that may be accepted is one that does not change what is
 * signed or encrypted: base64url's last character can carry unused low bits,
 * and jose (like atob) decodes `…Q` and `…R` to the same bytes. JWS signing
 * input and JWE AAD are the *encoded* header (and payload), so that slack only
 * exists in the JWS signature and the JWE encrypted key, IV, ciphertext and
 * tag segments. Such a mutation decodes to identical bytes: the message
 * opened is the very one that was sent, which is harmless (the replay cache
 * keys on type, signer, RRPID and time, not on the bytes, so it does not let a
 * replay through either). The property checks that this is the only case in
 * which a mutated message is accepted, and that what comes out is then
 * identical to the original (each property is also given one such mutation
 * as an explicit example, so that branch always runs).
 *
 * A last property changes one byte of a certificate in an x5c chain and
 * hands it to the ChainValidator, which reads x5c before any signature is
 * checked: it must refuse with a PkiError, never a raw ASN.1 error, and only
 * ever accept a re-encoding of the very same signed certificate.
 *
 * SET_MUTATION_RUNS=5000 runs a deeper search than the default 200 per property.
 */
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { base64Of, issueCertificate, PkiError } from '@/lib/pki';
import {
  base64UrlOf,
  createAuthReq,
  createCertReq,
  createCertRes,
  createGatewayResponse,
  createPInitReq,
  createPInitRes,
  createPReq,
  fromBase64Url,
  generatePosKeys,
  InMemoryReplayCache,
  openCertReq,
  openCertRes,
  openGatewayRequest,
  openGatewayResponse,
  openPInitReq,
  openPInitRes,
  openPReq,
  SetError,
  sendUnsigned,
  verifyPaymentInstructions,
  type CertReq,
  type MessageOf,
  type OpenedGatewayRequest,
  type OpenedPReq,
  type Party,
  type PaymentAccount,
  type PendingKeys,
  type PInitReq,
  type OrderInformation,
  type PInitRes,
  type PReq,
} from '@/lib/set';
import { createWorld, type World } from '@/lib/set/testing/world';

/** Runs per property; raise it for a deeper search, e.g. SET_MUTATION_RUNS=5000. */
const NUM_RUNS = Number(process.env.SET_MUTATION_RUNS ?? 200);
const TIMEOUT = 30_000 * Math.max(1, NUM_RUNS / 200);
const card: PaymentAccount = { kind: 'card', pan: '4111111111111111', expiry: '2030-12', cvc: '123' };

// --- Mutations -------------------------------------------------------------------------

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Characters a mutation may bring in: mostly base64url, plus separators, padding, standard base64, whitespace, quotes, non-ASCII and NUL. */
const ALPHABET = [...BASE64URL, '.', '=', '+', '/', ' ', '\n', '~', '"', 'é', '\u0000'];

type Operation = 'replace' | 'insert' | 'delete' | 'flip';
interface Mutation {
  /** Anywhere in the whole string (separators included), or inside one segment. */
  scope: 'whole' | 'segment';
  /** Which segment (modulo the number of segments). */
  segment: number;
  /** On the base64url characters, or on the decoded bytes (re-encoded canonically). */
  level: 'char' | 'byte';
  operation: Operation;
  position: number;
  value: number;
}

const mutations: fc.Arbitrary<Mutation> = fc.record({
  scope: fc.constantFrom<Mutation['scope']>('whole', 'segment', 'segment', 'segment'),
  segment: fc.nat({ max: 4 }),
  level: fc.constantFrom<Mutation['level']>('char', 'byte'),
  operation: fc.constantFrom<Operation>('replace', 'insert', 'delete', 'flip'),
  position: fc.nat({ max: 1_000_000 }),
  value: fc.nat({ max: 1023 }),
});

function mutateCharacters(text: string, operation: Operation, position: number, value: number): string {
  if (text.length === 0 || operation === 'insert') {
    const at = position % (text.length + 1);
    return text.slice(0, at) + ALPHABET[value % ALPHABET.length] + text.slice(at);
  }
  const at = position % text.length;
  const current = text[at]!;
  let replacement: string;
  switch (operation) {
    case 'delete':
      replacement = '';
      break;
    case 'flip':
      replacement = String.fromCharCode(current.charCodeAt(0) ^ (1 << (value % 7)));
      break;
    default:
      replacement = ALPHABET[value % ALPHABET.length]!;
      if (replacement === current) replacement = ALPHABET[(value + 1) % ALPHABET.length]!;
  }
  return text.slice(0, at) + replacement + text.slice(at + 1);
}

function mutateBytes(segment: string, operation: Operation, position: number, value: number): string {
  const bytes = Array.from(fromBase64Url(segment));
  if (bytes.length === 0 || operation === 'insert') {
    bytes.splice(position % (bytes.length + 1), 0, value & 0xff);
  } else {
    const at = position % bytes.length;
    if (operation === 'delete') bytes.splice(at, 1);
    else if (operation === 'flip') bytes[at] = bytes[at]! ^ (1 << (value % 8));
    else bytes[at] = (value & 0xff) === bytes[at] ? (value + 1) & 0xff : value & 0xff;
  }
  return base64UrlOf(Uint8Array.from(bytes));
}

function mutate(token: string, mutation: Mutation): string {
  if (mutation.scope === 'whole') return mutateCharacters(token, mutation.operation, mutation.position, mutation.value);
  const parts = token.split('.');
  const index = mutation.segment % parts.length;
  const segment = parts[index]!;
  parts[index] = mutation.level === 'char' ? mutateCharacters(segment, mutation.operation, mutation.position, mutation.value) : mutateBytes(segment, mutation.operation, mutation.position, mutation.value);
  return parts.join('.');
}

/**
 * A mutation that changes only the unused low bits of a segment's last character (the segment's length is
 * not a multiple of 4): it decodes to the same bytes. Given as an example to each property, so that the
 * "same bytes" case is always exercised, not only when the draw happens on it.
 */
function unusedBits(token: string, index: number): Mutation {
  const segment = token.split('.')[index]!;
  expect(segment.length % 4).not.toBe(0);
  const last = BASE64URL.indexOf(segment[segment.length - 1]!);
  return { scope: 'segment', segment: index, level: 'char', operation: 'replace', position: segment.length - 1, value: last ^ 1 };
}

/** Segments used as encoded text (JWS signing input, JWE AAD): any change to them is a change. */
const JWS_ENCODED = [0, 1];
const JWE_ENCODED = [0];

/** True when `mutated` decodes to exactly the bytes of `original`, segment by segment (see the comment at the top). */
function sameDecoded(original: string, mutated: string, encodedSegments: readonly number[]): boolean {
  const before = original.split('.');
  const after = mutated.split('.');
  if (before.length !== after.length) return false;
  return before.every((segment, index) => {
    const other = after[index]!;
    if (segment === other) return true;
    if (encodedSegments.includes(index)) return false;
    try {
      return base64UrlOf(fromBase64Url(segment)) === base64UrlOf(fromBase64Url(other));
    } catch {
      return false;
    }
  });
}

/**
 * Opens `mutated` and checks the outcome: refused with a SetError, or — only
 * when it decodes to the original's bytes — accepted as the original message.
 */
async function refusedUnlessSame<T>(
  original: string,
  mutated: string,
  encodedSegments: readonly number[],
  open: (raw: string) => Promise<T>,
  expected: (opened: T) => unknown,
  sent: unknown,
): Promise<void> {
  expect(mutated).not.toBe(original);
  let opened: T;
  try {
    opened = await open(mutated);
  } catch (error) {
    expect(error, `not a SetError: ${String(error)}`).toBeInstanceOf(SetError);
    return;
  }
  expect(sameDecoded(original, mutated, encodedSegments), `a mutated message was accepted: ${JSON.stringify(mutated)}`).toBe(true);
  expect(expected(opened)).toEqual(sent);
}

/** The tbsCertificate of a DER certificate, as the bytes that were signed. */
function signedPart(der: Uint8Array): string {
  const { result } = asn1js.fromBER(der);
  const tbs = (result as asn1js.Sequence).valueBlock.value[0]!;
  return base64Of(new Uint8Array(tbs.valueBeforeDecodeView));
}

/** A PReq as the wallet sends it (typed, so that a misspelt field is a compile error). */
const unsignedPReq = (message: PReq) => sendUnsigned(message);

function asAuthReq(opened: OpenedGatewayRequest): OpenedGatewayRequest & { message: MessageOf<'AuthReq'> } {
  if (opened.message.msg !== 'AuthReq') throw new Error(`expected an AuthReq, got ${opened.message.msg}`);
  return { ...opened, message: opened.message };
}

// --- Properties ---------------------------------------------------------------------------

describe.each(['RSA-2048', 'P-256'] as const)('random mutations never verify (%s keys)', (algorithm) => {
  let world: World;
  const at = () => ({ clock: world.clock });
  /** A party that shares `party`'s validator (and its chain cache) but remembers nothing: a replay refusal must not hide a verification. */
  const fresh = (party: Party): Party => ({ ...party, replayCache: new InMemoryReplayCache(world.clock) });

  let init: { message: PInitReq; raw: string };
  let initRes: { message: PInitRes; raw: string };
  let merchantParty: Party;
  let walletParty: Party;
  let gatewayParty: Party;
  /** An unsigned PReq and a dual-signed one, as the wallet sent them. */
  let plain: { message: PReq; raw: string; oi: OrderInformation };
  let dual: { message: PReq; raw: string; oi: OrderInformation };
  let dualAtMerchant: OpenedPReq;
  let authReq: { message: MessageOf<'AuthReq'>; raw: string };
  let atGateway: OpenedGatewayRequest & { message: MessageOf<'AuthReq'> };
  let authRes: { message: MessageOf<'AuthRes'>; raw: string };
  let certRequest: CertReq;
  let pending: PendingKeys;
  let certRes: { message: MessageOf<'CertRes'>; raw: string };

  beforeAll(async () => {
    // CAs of the same algorithm, so that certificate signatures are RSA-PSS in one run and ECDSA in the other.
    world = await createWorld({ algorithm, caAlgorithm: algorithm });
    merchantParty = world.party();
    walletParty = world.party();
    gatewayParty = world.party();
    init = createPInitReq({ brand: 'VISA', orderRef: 'order-1001', party: at() });
    const initReq = await openPInitReq(init.raw, merchantParty);
    initRes = await createPInitRes({
      request: initReq,
      amount: { value: 12_800, currency: 'JPY' },
      merchant: { acquirerId: world.merchant.acquirerId, merchantNumber: world.merchant.merchantNumber },
      gatewayKeyExchange: world.gateways.a.keyExchange.x5c,
      signer: world.merchant.signer,
      party: at(),
    });
    const opened = await openPInitRes(initRes.raw, { party: walletParty, request: init.message });
    const build = (cardholder: boolean) =>
      createPReq({ init: opened, request: init.message, orderDescription: '2 × green tea, 1 × teapot', account: card, ...(cardholder ? { cardholder: world.cardholder } : {}), party: at() });
    plain = await build(false);
    dual = await build(true);
    dualAtMerchant = await openPReq(dual.raw, { party: fresh(merchantParty), init: initRes.message });
    authReq = await createAuthReq(dualAtMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at() });
    atGateway = asAuthReq(await openGatewayRequest(authReq.raw, { party: fresh(gatewayParty), gateway: world.gateways.a.keyExchange }));
    authRes = await createGatewayResponse<'AuthReq'>(
      atGateway,
      { xid: atGateway.message.xid, amount: atGateway.message.amount, result: { status: 'approved', code: 'approved', authCode: 'Z9Y8X7' }, captured: false },
      { signer: world.gateways.a.signer, party: at() },
    );

    // A POS certification: CertRes is signed by the CA service and sealed to the new key-exchange key.
    pending = await generatePosKeys(algorithm);
    const sentCertReq = await createCertReq({
      keys: pending,
      acquisitionNumber: 'ACQ-NUMBER-0042',
      requester: { acquirerId: 'ACQ-A', merchantNumber: 'M-0042', posId: 'pos-1', brand: 'VISA' },
      subject: { commonName: 'Property Shop' },
      ca: world.ca.recipient,
      party: at(),
    });
    certRequest = sentCertReq.message;
    const openedCertReq = await openCertReq(sentCertReq.raw, { party: world.party(), ca: world.ca.keyExchange });
    const merchantCa = world.hierarchy.brands.VISA!.merchantCa;
    const chainAbove = [merchantCa.certificate, world.hierarchy.brands.VISA!.brandCa.certificate];
    const identity = { role: 'merchant' as const, acquirerId: 'ACQ-A', merchantNumber: 'M-0042', posId: 'pos-1' };
    const validity = { notBefore: new Date(world.clock.now.getTime() - 86_400_000), notAfter: new Date(world.clock.now.getTime() + 86_400_000) };
    const issue = (publicKey: Uint8Array, usage: 'signature' | 'keyExchange') =>
      issueCertificate({ issuer: merchantCa, publicKey, subject: openedCertReq.message.subject, identity: { ...identity, usage }, ...validity });
    certRes = await createCertRes({
      request: openedCertReq,
      result: { status: 'approved', code: 'issued' },
      signatureChain: [await issue(openedCertReq.signaturePublicKey, 'signature'), ...chainAbove],
      keyExchangeChain: [await issue(openedCertReq.keyExchangePublicKey, 'keyExchange'), ...chainAbove],
      signer: world.ca.signer,
      party: at(),
    });
  }, 60_000);

  const property = (check: (mutation: Mutation) => Promise<void>, examples: Mutation[] = []) =>
    fc.assert(fc.asyncProperty(mutations, check), { numRuns: NUM_RUNS, examples: examples.map((example): [Mutation] => [example]) });

  it('controls: every original opens (so a refusal below is caused by the mutation)', async () => {
    await expect(openPInitRes(initRes.raw, { party: fresh(walletParty), request: init.message })).resolves.toMatchObject({ message: initRes.message });
    await expect(openGatewayRequest(authReq.raw, { party: fresh(gatewayParty), gateway: world.gateways.a.keyExchange })).resolves.toMatchObject({ message: authReq.message });
    await expect(openGatewayResponse(authRes.raw, { party: fresh(merchantParty), merchant: world.merchant, request: authReq.message })).resolves.toMatchObject({ message: authRes.message });
    await expect(verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange })).resolves.toMatchObject({ pi: { account: card } });
    await expect(openPReq(plain.raw, { party: fresh(merchantParty), init: initRes.message })).resolves.toMatchObject({ message: plain.message });
    await expect(openCertRes(certRes.raw, { party: world.party(), request: certRequest, keys: pending })).resolves.toMatchObject({ message: certRes.message });
  });

  it('a signed PInitRes, at the wallet', async () => {
    await property((mutation) =>
      refusedUnlessSame(initRes.raw, mutate(initRes.raw, mutation), JWS_ENCODED, (raw) => openPInitRes(raw, { party: fresh(walletParty), request: init.message }), (opened) => opened.message, initRes.message),
      [unusedBits(initRes.raw, 2)],
    );
  }, TIMEOUT);

  it('a sealed and signed AuthReq, at the gateway', async () => {
    await property((mutation) =>
      refusedUnlessSame(authReq.raw, mutate(authReq.raw, mutation), JWE_ENCODED, (raw) => openGatewayRequest(raw, { party: fresh(gatewayParty), gateway: world.gateways.a.keyExchange }), (opened) => opened.message, authReq.message),
      [unusedBits(authReq.raw, 4)],
    );
  }, TIMEOUT);

  it('a sealed and signed AuthRes, at the merchant', async () => {
    await property((mutation) =>
      refusedUnlessSame(
        authRes.raw,
        mutate(authRes.raw, mutation),
        JWE_ENCODED,
        (raw) => openGatewayResponse(raw, { party: fresh(merchantParty), merchant: world.merchant, request: authReq.message }),
        (opened) => opened.message,
        authRes.message,
      ),
      [unusedBits(authRes.raw, 4)],
    );
  }, TIMEOUT);

  it('the PI JWE inside an AuthReq, at the gateway (verifyPaymentInstructions, dual-signed)', async () => {
    const original = atGateway.message.pi;
    const { pi: sentPi } = await verifyPaymentInstructions(atGateway, { party: gatewayParty, gateway: world.gateways.a.keyExchange });
    await property((mutation) =>
      refusedUnlessSame(
        original,
        mutate(original, mutation),
        JWE_ENCODED,
        (pi) => verifyPaymentInstructions({ ...atGateway, message: { ...atGateway.message, pi } }, { party: gatewayParty, gateway: world.gateways.a.keyExchange }),
        (verified) => verified.pi,
        sentPi,
      ),
      [unusedBits(original, 4)],
    );
  }, TIMEOUT);

  it('a CertRes sealed to the new key-exchange key, at the POS', async () => {
    await property((mutation) =>
      refusedUnlessSame(certRes.raw, mutate(certRes.raw, mutation), JWE_ENCODED, (raw) => openCertRes(raw, { party: world.party(), request: certRequest, keys: pending }), (opened) => opened.message, certRes.message),
      [unusedBits(certRes.raw, 4)],
    );
  }, TIMEOUT);

  it('the dual signature inside a PReq, at the merchant', async () => {
    const original = dual.message.dualSignature!;
    await property((mutation) =>
      refusedUnlessSame(
        original,
        mutate(original, mutation),
        JWS_ENCODED,
        (dualSignature) => openPReq(unsignedPReq({ ...dual.message, dualSignature }), { party: fresh(merchantParty), init: initRes.message }),
        (opened) => opened.oi,
        dual.oi,
      ),
      [unusedBits(original, 2)],
    );
  }, TIMEOUT);

  it('a certificate of the signer chain with one byte changed: refused by the ChainValidator with a PkiError', async () => {
    // The x5c chain is read before any signature is checked, so its bytes are attacker-controlled input.
    const chain = [...world.merchant.signer.chain, world.hierarchy.root.certificate].map((certificate) => new Uint8Array(certificate.rawData));
    const validator = world.party().validator;
    await expect(validator.validate(chain.map((der) => base64Of(der)), { usage: 'signature', roles: ['merchant'] })).resolves.toBeDefined();
    const changes = fc.record({ certificate: fc.nat({ max: chain.length - 1 }), operation: fc.constantFrom<Operation>('replace', 'insert', 'delete', 'flip'), position: fc.nat({ max: 1_000_000 }), value: fc.nat({ max: 255 }) });
    await fc.assert(
      fc.asyncProperty(changes, async ({ certificate, operation, position, value }) => {
        const original = chain[certificate]!;
        const bytes = Array.from(original);
        const at = position % bytes.length;
        if (operation === 'insert') bytes.splice(at, 0, value);
        else if (operation === 'delete') bytes.splice(at, 1);
        else if (operation === 'flip') bytes[at] = bytes[at]! ^ (1 << (value % 8));
        else bytes[at] = bytes[at] === value ? (value + 1) & 0xff : value;
        const mutated = Uint8Array.from(bytes);
        const x5c = chain.map((der, index) => base64Of(index === certificate ? mutated : der));
        try {
          await validator.validate(x5c, { usage: 'signature', roles: ['merchant'] });
        } catch (error) {
          expect(error, `not a PkiError: ${String(error)}`).toBeInstanceOf(PkiError);
          return;
        }
        // Accepted: @peculiar/x509 (over asn1js) is lenient about encodings outside what is signed — the
        // outer length, the unused-bits octet of the signature BIT STRING, the tag of the ECDSA-Sig-Value
        // inside it, the outer copy of the RSA-PSS parameters. Such a certificate is the same signed
        // certificate (same tbsCertificate, a signature that decodes to the same value), only its bytes —
        // and so its thumbprint — differ. Only the holder of a certificate can present such a variant,
        // since x5c is itself under the JWS signature. What must never pass is a change to the signed part.
        expect(signedPart(mutated)).toBe(signedPart(original));
      }),
      { numRuns: NUM_RUNS },
    );
  }, TIMEOUT);

  it('the OI of a dual-signed PReq, at the merchant: refused there (the dual signature covers the OI hash)', async () => {
    const original = dual.message.oi;
    await property((mutation) =>
      refusedUnlessSame(original, mutate(original, mutation), [], (oi) => openPReq(unsignedPReq({ ...dual.message, oi }), { party: fresh(merchantParty), init: initRes.message }), (opened) => opened.oi, dual.oi),
    );
  }, TIMEOUT);

  it('the OI of an unsigned PReq: refused by the merchant, or — when it still reads as this order — by the gateway (oi_hash_mismatch)', async () => {
    const original = plain.message.oi;
    // One mutation always drawn: a byte of the order-description hash replaced, so the OI still reads as this order.
    const json = JSON.stringify(plain.oi);
    const position = json.indexOf('"odHash":"') + 12;
    const sameOrder: Mutation = { scope: 'segment', segment: 0, level: 'byte', operation: 'replace', position, value: json[position] === 'A' ? 0x42 : 0x41 };
    let passedTheMerchant = 0;
    await property(async (mutation) => {
      const oi = mutate(original, mutation);
      expect(oi).not.toBe(original);
      let atMerchant: OpenedPReq;
      try {
        atMerchant = await openPReq(unsignedPReq({ ...plain.message, oi }), { party: fresh(merchantParty), init: initRes.message });
      } catch (error) {
        expect(error, `not a SetError: ${String(error)}`).toBeInstanceOf(SetError);
        return;
      }
      if (sameDecoded(original, oi, [])) {
        expect(atMerchant.oi).toEqual(plain.oi);
        return;
      }
      // The OI bytes differ but still pass the merchant's checks (XID, challenges, amount):
      // PI carries the hash of the OI the wallet sent, so the gateway refuses the authorization.
      passedTheMerchant++;
      const sent = await createAuthReq(atMerchant, { merchant: world.merchant, gateway: world.gateways.a.recipient, party: at() });
      const party = fresh(gatewayParty);
      const request = asAuthReq(await openGatewayRequest(sent.raw, { party, gateway: world.gateways.a.keyExchange }));
      await expect(verifyPaymentInstructions(request, { party, gateway: world.gateways.a.keyExchange })).rejects.toSatisfy(
        (error: unknown) => error instanceof SetError && error.code === 'oi_hash_mismatch',
      );
    }, [sameOrder]);
    // The second branch was taken (at least by the example above), so the gateway's check was exercised.
    expect(passedTheMerchant).toBeGreaterThan(0);
  }, TIMEOUT);
});
