import { certificateSigningAlgorithm } from './algorithms';
import { base64Of } from './certificates';
import { PkiError } from './errors';
import type { CertificateAuthorityKey } from './issue-certificate';
import { x509 } from './x509';

export interface RevokedEntry {
  /** Hexadecimal serial number of the revoked certificate. */
  serialNumber: string;
  revokedAt: Date;
  reason?: x509.X509CrlReason;
}

/** A CRL signed by the CA; `nextUpdate` bounds how long a relying party may trust it. */
export async function createCrl(options: { issuer: CertificateAuthorityKey; revoked: RevokedEntry[]; thisUpdate?: Date; nextUpdate: Date }): Promise<x509.X509Crl> {
  return x509.X509CrlGenerator.create({
    issuer: options.issuer.certificate.subjectName,
    thisUpdate: options.thisUpdate ?? new Date(),
    nextUpdate: options.nextUpdate,
    entries: options.revoked.map((entry) => ({ serialNumber: entry.serialNumber, revocationDate: entry.revokedAt, ...(entry.reason !== undefined ? { reason: entry.reason } : {}) })),
    signingKey: options.issuer.privateKey,
    signingAlgorithm: certificateSigningAlgorithm(options.issuer.privateKey),
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(options.issuer.certificate.publicKey)],
  });
}

/** Largest CRL accepted, before it is parsed. */
export const MAX_CRL_BYTES = 1024 * 1024;

/** Parses a CRL from DER or PEM. */
export function parseCrl(input: Uint8Array | string): x509.X509Crl {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size > MAX_CRL_BYTES) throw new PkiError('malformed_crl', `A CRL is at most ${MAX_CRL_BYTES} bytes.`);
  try {
    return new x509.X509Crl(typeof input === 'string' ? input : new Uint8Array(input));
  } catch {
    throw new PkiError('malformed_crl', 'The CRL is not valid.');
  }
}

/** Where chain validation finds the current CRL of an issuing CA. */
export interface CrlSource {
  crlFor(issuer: x509.X509Certificate): x509.X509Crl | undefined;
  /** Changes whenever a CRL is replaced, so that validation results cached under an older CRL are dropped. */
  readonly version: number;
}

/**
 * CRLs kept in memory by issuer name, as a gateway or the app holds them
 * between fetches from the CA. A CRL is only stored if it is newer than the
 * one held; its signature is checked when a chain is validated against it.
 */
export class InMemoryCrlStore implements CrlSource {
  private readonly byIssuer = new Map<string, x509.X509Crl>();
  private changes = 0;

  get version(): number {
    return this.changes;
  }

  put(crl: x509.X509Crl): void {
    const held = this.byIssuer.get(crl.issuer);
    if (held && held.thisUpdate > crl.thisUpdate) return;
    // The same CRL fetched again changes nothing, and must not drop cached validations.
    if (held && base64Of(new Uint8Array(held.rawData)) === base64Of(new Uint8Array(crl.rawData))) return;
    this.byIssuer.set(crl.issuer, crl);
    this.changes++;
  }

  crlFor(issuer: x509.X509Certificate): x509.X509Crl | undefined {
    return this.byIssuer.get(issuer.subject);
  }
}

/**
 * CRLs handed over all at once (as the checkout page hands a new wallet every CRL the CA publishes), parsed only
 * when validation asks for an issuer's: a purchase needs the CRLs of its two chains' issuers, about four of ten,
 * and parsing a CRL costs more than verifying it. Each is parsed at most once, in the order given, until the one
 * asked for is found; a malformed CRL met on the way fails that validation (`malformed_crl`). The set is fixed,
 * so `version` never changes.
 */
export class OnDemandCrlSource implements CrlSource {
  private readonly unparsed: (Uint8Array | string)[];
  private readonly byIssuer = new Map<string, x509.X509Crl>();
  readonly version = 0;

  constructor(crls: readonly (Uint8Array | string)[]) {
    this.unparsed = [...crls];
  }

  crlFor(issuer: x509.X509Certificate): x509.X509Crl | undefined {
    while (!this.byIssuer.has(issuer.subject) && this.unparsed.length > 0) this.keep(parseCrl(this.unparsed.shift()!));
    return this.byIssuer.get(issuer.subject);
  }

  /** The CA publishes one CRL per issuer; should the list hold two, the newer of those parsed so far is used. */
  private keep(crl: x509.X509Crl): void {
    const held = this.byIssuer.get(crl.issuer);
    if (!held || held.thisUpdate <= crl.thisUpdate) this.byIssuer.set(crl.issuer, crl);
  }
}
