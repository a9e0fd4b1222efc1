import { base64Of, parseCertificate, thumbprint } from './certificates';
import type { CrlSource } from './crl';
import { PkiError } from './errors';
import { mayIssue, readIdentity, type CertificateRole, type SetIdentity } from './identity';
import { x509 } from './x509';

/** A certificate that chained to a trusted root and passed every check. */
export interface ValidatedCertificate {
  certificate: x509.X509Certificate;
  identity: SetIdentity;
  /** SHA-256 thumbprint, base64url (`x5t#S256`). */
  thumbprint: string;
  /** The chain as presented, leaf first, as parsed certificates. */
  chain: x509.X509Certificate[];
}

export interface ChainExpectation {
  usage: 'signature' | 'keyExchange';
  /** Leaf roles accepted here, e.g. only `gateway` when a merchant checks a gateway's answer. */
  roles?: readonly CertificateRole[];
}

interface CachedResult {
  result: ValidatedCertificate;
  validFrom: number;
  validUntil: number;
  crlVersion: number;
}

const { KeyUsageFlags } = x509;

/** Adds `entry`, first dropping the oldest when the set holds `limit`: a long-lived validator's memory stays bounded. */
function remember(entries: Set<string>, entry: string, limit: number): void {
  if (entries.size >= limit) entries.delete(entries.values().next().value as string);
  entries.add(entry);
}

const encoded = new WeakMap<x509.X509Certificate, string>();

/** A parsed certificate's DER as base64, computed once per certificate object. */
function base64OfCertificate(certificate: x509.X509Certificate): string {
  let text = encoded.get(certificate);
  if (text === undefined) {
    text = base64Of(new Uint8Array(certificate.rawData));
    encoded.set(certificate, text);
  }
  return text;
}

/**
 * Validates certificate chains to pinned roots: links and signatures, CA
 * flags, which role may issue which, brand inheritance, validity windows,
 * revocation against each issuer's CRL (which must be present and fresh),
 * and the leaf's usage and role. A passed chain is remembered until the
 * first of its certificates or CRLs runs out, or a CRL changes — so a hot
 * path pays for a chain once, not per message.
 */
export class ChainValidator {
  private readonly anchors: x509.X509Certificate[];
  private readonly anchorBytes: Set<string>;
  private readonly cache = new Map<string, CachedResult>();
  /**
   * Each issuer's public key imported once per signature algorithm: importing it (OpenSSL's SPKI decoder) costs
   * more than the verification itself, and one issuer signs several certificates and its CRL.
   */
  private readonly issuerKeys = new Map<string, Promise<CryptoKey>>();
  /**
   * Signatures already found good, by signed object and issuer (certificates and CRLs are immutable, so a good
   * signature stays good): a brand CA shared by a merchant's and a gateway's chain is checked once. Both caches
   * hold at most `cacheLimit` entries, like the chain results.
   */
  private readonly goodSignatures = new Set<string>();

  constructor(
    private readonly options: {
      trustAnchors: x509.X509Certificate[];
      crls: CrlSource;
      clock?: () => Date;
      maxChainLength?: number;
      cacheLimit?: number;
    },
  ) {
    this.anchors = options.trustAnchors;
    this.anchorBytes = new Set(options.trustAnchors.map((anchor) => base64Of(new Uint8Array(anchor.rawData))));
  }

  /** How many entries each of the validator's caches holds at most. */
  private get cacheLimit(): number {
    return this.options.cacheLimit ?? 10_000;
  }

  private now(): Date {
    return this.options.clock ? this.options.clock() : new Date();
  }

  /** Validates `chain` (leaf first; base64 DER as in `x5c`, or parsed). Throws a PkiError with the first problem found. */
  async validate(chain: readonly (string | x509.X509Certificate)[], expect: ChainExpectation): Promise<ValidatedCertificate> {
    const maxLength = this.options.maxChainLength ?? 5;
    if (chain.length === 0) throw new PkiError('chain_incomplete', 'No certificate was presented.');
    if (chain.length > maxLength) throw new PkiError('chain_too_long', `A chain has at most ${maxLength} certificates.`);
    const now = this.now();
    // Keyed by the base64 DER: an x5c entry already is that, so only parsed certificates are encoded (once each),
    // and a chain seen before is answered without parsing it again.
    const key = `${expect.usage}|${(expect.roles ?? []).join(',')}|${chain.map((entry) => (typeof entry === 'string' ? entry : base64OfCertificate(entry))).join('.')}`;
    const cached = this.cache.get(key);
    const time = now.getTime();
    if (cached && cached.crlVersion === this.options.crls.version && time >= cached.validFrom && time < cached.validUntil) return cached.result;

    const certificates = chain.map((entry) => (typeof entry === 'string' ? parseCertificate(entry) : entry));

    const { result, validFrom, validUntil } = await this.validateUncached(certificates, expect, now);
    const limit = this.cacheLimit;
    if (this.cache.size >= limit) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { result, validFrom, validUntil, crlVersion: this.options.crls.version });
    return result;
  }

  /** Whether `signed` carries `issuer`'s signature, remembering a good answer and the imported key. */
  private async verifiedOnce(signed: x509.X509Certificate | x509.X509Crl, issuer: x509.X509Certificate, verify: (publicKey: CryptoKey) => Promise<boolean>): Promise<boolean> {
    const issuerBytes = base64OfCertificate(issuer);
    const signature = `${base64Of(new Uint8Array(signed.rawData))}|${issuerBytes}`;
    if (this.goodSignatures.has(signature)) return true;
    let key: Promise<CryptoKey>;
    try {
      // Reading the algorithms parses them: a malformed one is a bad signature, like a failed verification.
      const algorithm = { ...issuer.publicKey.algorithm, ...signed.signatureAlgorithm };
      const keyId = `${issuerBytes}|${JSON.stringify(algorithm)}`;
      const known = this.issuerKeys.get(keyId);
      if (known) {
        key = known;
      } else {
        key = issuer.publicKey.export(algorithm, ['verify']);
        key.catch(() => this.issuerKeys.delete(keyId));
        if (this.issuerKeys.size >= this.cacheLimit) this.issuerKeys.delete(this.issuerKeys.keys().next().value as string);
        this.issuerKeys.set(keyId, key);
      }
    } catch {
      return false;
    }
    const good = await key.then(verify).catch(() => false);
    if (good) remember(this.goodSignatures, signature, this.cacheLimit);
    return good;
  }

  private async validateUncached(certificates: x509.X509Certificate[], expect: ChainExpectation, now: Date) {
    for (let index = 0; index + 1 < certificates.length; index++) {
      if (certificates[index]!.issuer !== certificates[index + 1]!.subject) {
        throw new PkiError('chain_incomplete', 'The chain is broken: a certificate is not issued by the next one.');
      }
    }
    const last = certificates[certificates.length - 1]!;
    let path: x509.X509Certificate[];
    if (this.anchorBytes.has(base64Of(new Uint8Array(last.rawData)))) {
      path = certificates;
    } else if (last.issuer === last.subject) {
      throw new PkiError('untrusted_root', 'The chain ends at a root that is not trusted here.');
    } else {
      const anchor = this.anchors.find((candidate) => candidate.subject === last.issuer);
      if (!anchor) throw new PkiError('chain_incomplete', 'The chain does not reach a trusted root: an intermediate certificate is missing.');
      path = [...certificates, anchor];
    }

    let validFrom = 0;
    let validUntil = Number.POSITIVE_INFINITY;
    for (const certificate of path) {
      if (now < certificate.notBefore) throw new PkiError('certificate_not_yet_valid', `The certificate "${certificate.subject}" is not valid yet.`);
      if (now > certificate.notAfter) throw new PkiError('certificate_expired', `The certificate "${certificate.subject}" has expired.`);
      validFrom = Math.max(validFrom, certificate.notBefore.getTime());
      validUntil = Math.min(validUntil, certificate.notAfter.getTime());
    }

    // From the anchor down: each certificate checked against its issuer.
    for (let index = path.length - 2; index >= 0; index--) {
      const certificate = path[index]!;
      const issuer = path[index + 1]!;
      const issuerIdentity = readIdentity(issuer);
      const identity = readIdentity(certificate);
      const constraints = issuer.getExtension(x509.BasicConstraintsExtension);
      const issuerUsage = issuer.getExtension(x509.KeyUsagesExtension);
      if (!constraints?.ca || !issuerUsage || (issuerUsage.usages & KeyUsageFlags.keyCertSign) === 0) {
        throw new PkiError('issuer_not_ca', `"${issuer.subject}" is not a CA and cannot issue certificates.`);
      }
      if (!mayIssue(issuerIdentity.role, identity.role)) {
        throw new PkiError('issuer_not_allowed', `A ${issuerIdentity.role} cannot issue a ${identity.role} certificate.`);
      }
      if (issuerIdentity.role !== 'root' && identity.brand !== issuerIdentity.brand) {
        throw new PkiError('brand_mismatch', `A ${issuerIdentity.brand ?? 'brandless'} CA issued a certificate for ${identity.brand ?? 'no brand'}.`);
      }
      const signed = await this.verifiedOnce(certificate, issuer, (publicKey) => certificate.verify({ publicKey, signatureOnly: true }));
      if (!signed) throw new PkiError('certificate_signature_invalid', `The signature on "${certificate.subject}" is not its issuer's.`);

      const crl = this.options.crls.crlFor(issuer);
      if (!crl) throw new PkiError('crl_unavailable', `No CRL of "${issuer.subject}" is at hand, so revocation cannot be checked.`);
      if (!crl.nextUpdate || now > crl.nextUpdate) throw new PkiError('crl_stale', `The CRL of "${issuer.subject}" is out of date.`);
      if (now < crl.thisUpdate) throw new PkiError('crl_stale', `The CRL of "${issuer.subject}" is not in force yet.`);
      const crlSigned = await this.verifiedOnce(crl, issuer, (publicKey) => crl.verify({ publicKey }));
      if (!crlSigned) throw new PkiError('crl_signature_invalid', `The CRL of "${issuer.subject}" is not signed by it.`);
      if (crl.findRevoked(certificate)) throw new PkiError('certificate_revoked', `The certificate "${certificate.subject}" has been revoked.`);
      validFrom = Math.max(validFrom, crl.thisUpdate.getTime());
      validUntil = Math.min(validUntil, crl.nextUpdate.getTime());
    }

    const leaf = certificates[0]!;
    const identity = readIdentity(leaf);
    const leafUsage = leaf.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
    const usageFlags =
      expect.usage === 'signature' ? KeyUsageFlags.digitalSignature : KeyUsageFlags.keyEncipherment | KeyUsageFlags.keyAgreement;
    if (identity.usage !== expect.usage || (leafUsage & usageFlags) === 0) {
      throw new PkiError('wrong_key_usage', `The certificate is for ${identity.usage ?? 'issuing certificates'}, not ${expect.usage}.`);
    }
    if (expect.roles && !expect.roles.includes(identity.role)) {
      throw new PkiError('unexpected_role', `A ${identity.role} certificate is not accepted here (expected ${expect.roles.join(' or ')}).`);
    }
    const result: ValidatedCertificate = { certificate: leaf, identity, thumbprint: await thumbprint(leaf), chain: certificates };
    return { result, validFrom, validUntil };
  }
}
