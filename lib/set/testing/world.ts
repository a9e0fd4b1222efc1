/**
 * A complete, in-memory SET world for tests and benchmarks: a CA hierarchy
 * with fresh CRLs, a CA service, gateways of two acquirers, a merchant POS
 * certified through a real CertReq/CertRes exchange, and a cardholder with a
 * certificate. Every party has its own validator, replay cache and clock.
 */
import {
  ChainValidator,
  createCrl,
  createHierarchy,
  generateKeyPair,
  initialCrls,
  InMemoryCrlStore,
  issueCertificate,
  type CertificateAuthorityKey,
  type Hierarchy,
  type KeyAlgorithm,
  type SetIdentity,
  type x509,
} from '@/lib/pki';
import { InMemoryReplayCache } from '../freshness';
import { createKeyExchangeIdentity, createSigner, recipientOf, type KeyExchangeIdentity, type Recipient, type Signer } from '../keys';
import type { Party } from '../protocol';
import { createCertReq, createCertRes, generatePosKeys, openCertReq, openCertRes } from '../messages/certificate';
import type { MerchantKeys } from '../messages/gateway';

export interface TestClock {
  now: Date;
  (): Date;
}

/** A clock tests can move: `clock.now = new Date(...)`. */
export function testClock(start = new Date()): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = start;
  return clock;
}

export interface GatewayKeys {
  acquirerId: string;
  signer: Signer;
  keyExchange: KeyExchangeIdentity;
  /** How merchants and wallets address this gateway. */
  recipient: Recipient;
}

export interface World {
  algorithm: KeyAlgorithm;
  hierarchy: Hierarchy;
  crls: InMemoryCrlStore;
  clock: TestClock;
  /** A fresh party (own replay cache) that trusts this world's root. */
  party(): Party;
  ca: { signer: Signer; keyExchange: KeyExchangeIdentity; recipient: Recipient };
  gateways: { a: GatewayKeys; b: GatewayKeys };
  merchant: MerchantKeys & { acquirerId: string; merchantNumber: string; posId: string };
  cardholder: Signer;
  /** Issues a leaf certificate under one of the hierarchy's CAs, for tests that need an odd one. */
  issueLeaf(issuer: CertificateAuthorityKey, identity: SetIdentity, publicKey: CryptoKey, validity?: { notBefore?: Date; notAfter?: Date }): Promise<x509.X509Certificate>;
  /** Revokes a certificate by publishing a new CRL of its issuer. */
  revoke(issuer: CertificateAuthorityKey, certificate: x509.X509Certificate): Promise<void>;
}

const DAY = 86_400_000;

export async function createWorld(options: { algorithm?: KeyAlgorithm; caAlgorithm?: KeyAlgorithm; gatewayAlgorithm?: KeyAlgorithm } = {}): Promise<World> {
  const algorithm = options.algorithm ?? 'RSA-2048';
  /** The gateways' keys: like everyone's unless given (the simulated card acquirers use RSA-2048 while POS keys are P-256). */
  const gatewayAlgorithm = options.gatewayAlgorithm ?? algorithm;
  const clock = testClock();
  const start = new Date(clock.now.getTime() - DAY);
  const notAfter = new Date(clock.now.getTime() + 365 * DAY);
  const hierarchy = await createHierarchy({ brands: ['VISA', 'JCB'], algorithm: options.caAlgorithm ?? 'P-256', notBefore: start, notAfter });
  const crls = new InMemoryCrlStore();
  const revoked = new Map<CertificateAuthorityKey, { serialNumber: string; revokedAt: Date }[]>();
  for (const crl of await initialCrls(hierarchy, { thisUpdate: start, nextUpdate: new Date(clock.now.getTime() + 7 * DAY) })) crls.put(crl);
  const party = (): Party => ({
    validator: new ChainValidator({ trustAnchors: [hierarchy.root.certificate], crls, clock }),
    replayCache: new InMemoryReplayCache(clock),
    clock,
  });
  const visa = hierarchy.brands.VISA!;

  const issueLeaf: World['issueLeaf'] = (issuer, identity, publicKey, validity = {}) =>
    issueCertificate({
      issuer,
      publicKey,
      subject: { commonName: `${identity.role} ${identity.usage ?? ''} ${identity.merchantNumber ?? identity.acquirerId ?? ''}`.trim(), organization: 'Test' },
      identity,
      notBefore: validity.notBefore ?? start,
      notAfter: validity.notAfter ?? notAfter,
    });

  /** The issuer and the CAs above it, root left out (every party pins it). */
  const chainUpTo = (issuer: CertificateAuthorityKey): x509.X509Certificate[] => {
    const chain: x509.X509Certificate[] = [];
    let current = issuer.certificate;
    while (current.subject !== hierarchy.root.certificate.subject) {
      chain.push(current);
      current = hierarchy.authorities.find((authority) => authority.certificate.subject === current.issuer)!.certificate;
    }
    return chain;
  };

  const certifiedPair = async (issuer: CertificateAuthorityKey, identity: Omit<SetIdentity, 'usage'>, keyAlgorithm = algorithm) => {
    const [signatureKeys, keyExchangeKeys] = await Promise.all([
      generateKeyPair({ algorithm: keyAlgorithm, purpose: 'signature' }),
      generateKeyPair({ algorithm: keyAlgorithm, purpose: 'keyExchange' }),
    ]);
    const signatureCertificate = await issueLeaf(issuer, { ...identity, usage: 'signature' }, signatureKeys.publicKey);
    const keyExchangeCertificate = await issueLeaf(issuer, { ...identity, usage: 'keyExchange' }, keyExchangeKeys.publicKey);
    const chainAbove = chainUpTo(issuer);
    return {
      signer: await createSigner(signatureKeys.privateKey, [signatureCertificate, ...chainAbove]),
      keyExchange: await createKeyExchangeIdentity(keyExchangeKeys.privateKey, [keyExchangeCertificate, ...chainAbove]),
    };
  };

  const caService = await certifiedPair(hierarchy.root, { role: 'ca-service' });
  const validatorOf = party();
  const gatewayOf = async (acquirerId: string): Promise<GatewayKeys> => {
    const keys = await certifiedPair(visa.gatewayCa, { role: 'gateway', acquirerId }, gatewayAlgorithm);
    return { acquirerId, ...keys, recipient: await recipientOf(await validatorOf.validator.validate(keys.keyExchange.chain, { usage: 'keyExchange' })) };
  };
  const ca = { ...caService, recipient: await recipientOf(await validatorOf.validator.validate(caService.keyExchange.chain, { usage: 'keyExchange' })) };

  // The merchant is certified the way a POS really is: CertReq → CA → CertRes.
  const requester = { acquirerId: 'ACQ-A', merchantNumber: 'M-0001', posId: 'pos-1', brand: 'VISA' };
  const pending = await generatePosKeys(algorithm);
  const certReq = await createCertReq({ keys: pending, acquisitionNumber: 'ACQ-NUMBER-0001', requester, subject: { commonName: 'Test Shop', organization: 'Test Shop Ltd' }, ca: ca.recipient, party: { clock } });
  const opened = await openCertReq(certReq.raw, { party: party(), ca: ca.keyExchange });
  const identity = { role: 'merchant' as const, acquirerId: requester.acquirerId, merchantNumber: requester.merchantNumber, posId: requester.posId };
  const signatureCertificate = await issueCertificate({ issuer: visa.merchantCa, publicKey: opened.signaturePublicKey, subject: opened.message.subject, identity: { ...identity, usage: 'signature' }, notBefore: start, notAfter });
  const keyExchangeCertificate = await issueCertificate({ issuer: visa.merchantCa, publicKey: opened.keyExchangePublicKey, subject: opened.message.subject, identity: { ...identity, usage: 'keyExchange' }, notBefore: start, notAfter });
  const certRes = await createCertRes({
    request: opened,
    result: { status: 'approved', code: 'issued' },
    signatureChain: [signatureCertificate, ...chainUpTo(visa.merchantCa)],
    keyExchangeChain: [keyExchangeCertificate, ...chainUpTo(visa.merchantCa)],
    signer: ca.signer,
    party: { clock },
  });
  const issued = await openCertRes(certRes.raw, { party: party(), request: certReq.message, keys: pending });

  const cardholderKeys = await generateKeyPair({ algorithm, purpose: 'signature' });
  const cardholderCertificate = await issueLeaf(visa.cardholderCa, { role: 'cardholder', usage: 'signature' }, cardholderKeys.publicKey);

  return {
    algorithm,
    hierarchy,
    crls,
    clock,
    party,
    ca,
    gateways: { a: await gatewayOf('ACQ-A'), b: await gatewayOf('ACQ-B') },
    merchant: { signer: issued.signer!, keyExchange: issued.keyExchange!, ...requester },
    cardholder: await createSigner(cardholderKeys.privateKey, [cardholderCertificate, ...chainUpTo(visa.cardholderCa)]),
    issueLeaf,
    async revoke(issuer, certificate) {
      const list = revoked.get(issuer) ?? [];
      list.push({ serialNumber: certificate.serialNumber, revokedAt: clock.now });
      revoked.set(issuer, list);
      crls.put(await createCrl({ issuer, revoked: list, thisUpdate: clock.now, nextUpdate: new Date(clock.now.getTime() + 7 * DAY) }));
    },
  };
}
