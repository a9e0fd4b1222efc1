/**
 * The simulated certificate authority's records: its hierarchy (root, brand
 * CAs, merchant/gateway/cardholder CAs) and the CA service's own keys,
 * persisted across restarts; every certificate it issued; revocations; and
 * the CRLs it publishes, re-signed before they go stale.
 */
import path from 'node:path';
import {
  certificateToBase64,
  createCrl,
  createHierarchy,
  exportPrivateKey,
  generateKeyPair,
  importPrivateKey,
  issueCertificate,
  parseCertificate,
  readIdentity,
  type CertificateAuthorityKey,
  type Hierarchy,
  type KeyAlgorithm,
  type SetIdentity,
  type SubjectName,
  type x509,
} from '@/lib/pki';
import { createKeyExchangeIdentity, createSigner, type KeyExchangeIdentity, type Signer } from '@/lib/set';
import type { SimConfig } from '../config';
import { readJson, writeJsonAtomic } from '../shared/persistence';

interface StoredKey {
  certificate: string;
  privateKey: string;
  algorithm: KeyAlgorithm;
}

interface StoredState {
  root: StoredKey;
  authorities: StoredKey[];
  caService: { signature: StoredKey; keyExchange: StoredKey };
  issued: { serialNumber: string; issuer: string; certificate: string; identity: SetIdentity; issuedAt: string }[];
  revoked: { serialNumber: string; issuer: string; revokedAt: string; reason: string }[];
}

export interface CaServiceKeys {
  signer: Signer;
  keyExchange: KeyExchangeIdentity;
}

const MINUTE = 60_000;

async function storeKey(authority: CertificateAuthorityKey, algorithm: KeyAlgorithm): Promise<StoredKey> {
  return {
    certificate: certificateToBase64(authority.certificate),
    privateKey: Buffer.from(await exportPrivateKey(authority.privateKey)).toString('base64'),
    algorithm,
  };
}

async function loadKey(stored: StoredKey, purpose: 'signature' | 'keyExchange' = 'signature'): Promise<CertificateAuthorityKey> {
  return {
    certificate: parseCertificate(stored.certificate),
    privateKey: await importPrivateKey(new Uint8Array(Buffer.from(stored.privateKey, 'base64')), stored.algorithm, purpose),
  };
}

export class CertificateAuthority {
  private crlCache: { crls: x509.X509Crl[]; nextUpdate: number } | undefined;

  private constructor(
    private readonly config: SimConfig,
    private readonly file: string,
    private readonly state: StoredState,
    readonly hierarchy: Hierarchy,
    readonly service: CaServiceKeys,
  ) {}

  /** Loads the CA from the data folder, creating the hierarchy on first start. */
  static async open(config: SimConfig): Promise<CertificateAuthority> {
    const file = path.join(config.dataDir, 'ca', 'state.json');
    const algorithm = config.ca.keyAlgorithm;
    let state = readJson<StoredState>(file);
    if (!state) {
      const notAfter = new Date(Date.now() + 10 * 365 * 24 * 60 * MINUTE);
      const hierarchy = await createHierarchy({ brands: config.ca.brands, algorithm, organization: config.ca.organization, notBefore: new Date(Date.now() - 5 * MINUTE), notAfter });
      const service = async (purpose: 'signature' | 'keyExchange') => {
        const keys = await generateKeyPair({ algorithm, purpose, extractable: true });
        const certificate = await issueCertificate({
          issuer: hierarchy.root,
          publicKey: keys.publicKey,
          subject: { commonName: `${config.ca.organization} CA Service (${purpose})`, organization: config.ca.organization },
          identity: { role: 'ca-service', usage: purpose },
          notBefore: new Date(Date.now() - 5 * MINUTE),
          notAfter,
        });
        return storeKey({ certificate, privateKey: keys.privateKey }, algorithm);
      };
      state = {
        root: await storeKey(hierarchy.root, algorithm),
        authorities: await Promise.all(hierarchy.authorities.filter((authority) => authority !== hierarchy.root).map((authority) => storeKey(authority, algorithm))),
        caService: { signature: await service('signature'), keyExchange: await service('keyExchange') },
        issued: [],
        revoked: [],
      };
      writeJsonAtomic(file, state);
    }
    const root = await loadKey(state.root);
    const authorities = [root, ...(await Promise.all(state.authorities.map((stored) => loadKey(stored))))];
    const brands: Hierarchy['brands'] = {};
    for (const authority of authorities) {
      const identity = readIdentity(authority.certificate);
      if (!identity.brand) continue;
      const entry = (brands[identity.brand] ??= {} as Hierarchy['brands'][string]);
      if (identity.role === 'brand-ca') entry.brandCa = authority;
      if (identity.role === 'merchant-ca') entry.merchantCa = authority;
      if (identity.role === 'gateway-ca') entry.gatewayCa = authority;
      if (identity.role === 'cardholder-ca') entry.cardholderCa = authority;
    }
    const signature = await loadKey(state.caService.signature, 'signature');
    const keyExchange = await loadKey(state.caService.keyExchange, 'keyExchange');
    const service = {
      signer: await createSigner(signature.privateKey, [signature.certificate]),
      keyExchange: await createKeyExchangeIdentity(keyExchange.privateKey, [keyExchange.certificate]),
    };
    return new CertificateAuthority(config, file, state, { root, brands, authorities }, service);
  }

  get root(): x509.X509Certificate {
    return this.hierarchy.root.certificate;
  }

  /** The chain above a certificate issued by `issuer`, root left out. */
  chainAbove(issuer: CertificateAuthorityKey): x509.X509Certificate[] {
    const chain: x509.X509Certificate[] = [];
    let current = issuer.certificate;
    while (current.subject !== this.root.subject) {
      chain.push(current);
      const parent = this.hierarchy.authorities.find((authority) => authority.certificate.subject === current.issuer);
      if (!parent) break;
      current = parent.certificate;
    }
    return chain;
  }

  /** Issues a leaf certificate under the brand's CA for its role, for `validityMinutes` (the config's by default). */
  async issue(input: { brand: string; identity: SetIdentity; publicKey: Uint8Array; subject: SubjectName }): Promise<x509.X509Certificate[]> {
    const brand = this.hierarchy.brands[input.brand];
    if (!brand) throw new Error(`unknown brand ${input.brand}`);
    const issuer = input.identity.role === 'gateway' ? brand.gatewayCa : input.identity.role === 'cardholder' ? brand.cardholderCa : brand.merchantCa;
    const now = Date.now();
    const certificate = await issueCertificate({
      issuer,
      publicKey: input.publicKey,
      subject: input.subject,
      identity: input.identity,
      notBefore: new Date(now - MINUTE),
      notAfter: new Date(now + this.config.ca.certificateValidityMinutes * MINUTE),
    });
    this.state.issued.push({ serialNumber: certificate.serialNumber, issuer: issuer.certificate.subject, certificate: certificateToBase64(certificate), identity: readIdentity(certificate), issuedAt: new Date(now).toISOString() });
    writeJsonAtomic(this.file, this.state);
    return [certificate, ...this.chainAbove(issuer)];
  }

  /** Certificates issued, optionally for one merchant number. */
  listIssued(filter: { merchantNumber?: string; acquirerId?: string } = {}) {
    const revoked = new Set(this.state.revoked.map((entry) => `${entry.issuer}|${entry.serialNumber}`));
    return this.state.issued
      .filter((entry) => (!filter.merchantNumber || entry.identity.merchantNumber === filter.merchantNumber) && (!filter.acquirerId || entry.identity.acquirerId === filter.acquirerId))
      .map((entry) => ({ ...entry, revoked: revoked.has(`${entry.issuer}|${entry.serialNumber}`) }));
  }

  /** Revokes a certificate this CA issued; the next CRL lists it. Answers false for an unknown serial. */
  revoke(serialNumber: string, reason = 'unspecified'): boolean {
    const issued = this.state.issued.find((entry) => entry.serialNumber === serialNumber.toLowerCase());
    if (!issued) return false;
    if (!this.state.revoked.some((entry) => entry.serialNumber === issued.serialNumber && entry.issuer === issued.issuer)) {
      this.state.revoked.push({ serialNumber: issued.serialNumber, issuer: issued.issuer, revokedAt: new Date().toISOString(), reason });
      writeJsonAtomic(this.file, this.state);
      this.crlCache = undefined;
    }
    return true;
  }

  /** Current CRLs of every CA; re-signed when half their validity has passed or a revocation was added. */
  async currentCrls(): Promise<x509.X509Crl[]> {
    const now = Date.now();
    const validity = this.config.ca.crlValidityMinutes * MINUTE;
    if (this.crlCache && now < this.crlCache.nextUpdate - validity / 2) return this.crlCache.crls;
    const nextUpdate = now + validity;
    const crls = await Promise.all(
      this.hierarchy.authorities.map((issuer) =>
        createCrl({
          issuer,
          revoked: this.state.revoked
            .filter((entry) => entry.issuer === issuer.certificate.subject)
            .map((entry) => ({ serialNumber: entry.serialNumber, revokedAt: new Date(entry.revokedAt) })),
          thisUpdate: new Date(now - 1000),
          nextUpdate: new Date(nextUpdate),
        }),
      ),
    );
    this.crlCache = { crls, nextUpdate };
    return crls;
  }
}
