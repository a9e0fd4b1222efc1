/**
 * An acquirer's merchant registry: the merchants it has contracts with, their
 * enrolment with ServerPOS, one-time certificate acquisition numbers, and the
 * store information it keeps (with a version that grows on every change).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { AcquirerConfig } from '../config';
import { readJson, writeJsonAtomic } from '../shared/persistence';

export type MerchantStatus = 'contracted' | 'active' | 'suspended' | 'withdrawn';

export interface StoreInformation {
  version: number;
  name: string;
  status: 'active' | 'suspended' | 'withdrawn';
  contactEmail?: string;
  phone?: string;
  postalAddress?: string;
  websiteUrl?: string;
}

/** The store-information fields besides the name; absent means the merchant has none. */
export const optionalInfoFields = ['contactEmail', 'phone', 'postalAddress', 'websiteUrl'] as const;
export type OptionalInfoField = (typeof optionalInfoFields)[number];

/** What ServerPOS sends: its whole copy of the store information under its version. */
export interface PushedStoreInformation extends Partial<Record<OptionalInfoField, string>> {
  version: number;
  name: string;
}

export type PushResult = { status: 'accepted' | 'stale'; info: StoreInformation } | { status: 'not_enrolled' } | { status: 'withdrawn' };

export interface Merchant {
  merchantNumber: string;
  /** The name on the merchant contract; an application must match it. */
  contractName: string;
  status: MerchantStatus;
  info: StoreInformation;
  contactEmail?: string;
  enrolledAt?: string;
  suspendedReason?: string;
  acquisitionNumbers: { number: string; issuedAt: string; usedAt?: string; posId?: string }[];
}

export type ApplicationResult =
  | { status: 'verified'; merchantNumber: string; acquisitionNumber: string; info: StoreInformation }
  | { status: 'rejected'; code: 'unknown_merchant' | 'details_mismatch' | 'merchant_withdrawn'; reason: string };

/** Acquisition numbers are valid this long after they are issued. */
const ACQUISITION_NUMBER_DAYS = 30;

function newAcquisitionNumber(): string {
  // Grouped for reading over the phone; 80 bits of randomness.
  const hex = randomBytes(10).toString('hex').toUpperCase();
  return `${hex.slice(0, 5)}-${hex.slice(5, 10)}-${hex.slice(10, 15)}-${hex.slice(15)}`;
}

const normalise = (name: string) => name.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

export class MerchantRegistry {
  private readonly merchants = new Map<string, Merchant>();
  private readonly file: string;

  constructor(acquirer: AcquirerConfig, dataDir: string) {
    this.file = path.join(dataDir, 'acquirers', acquirer.id, 'registry.json');
    for (const merchant of readJson<Merchant[]>(this.file) ?? []) this.merchants.set(merchant.merchantNumber, merchant);
    // Contracts from the config that this registry has not seen yet.
    let added = false;
    for (const contract of acquirer.merchants) {
      if (this.merchants.has(contract.merchantNumber)) continue;
      this.addContract(contract.merchantNumber, contract.storeName, false);
      added = true;
    }
    if (added) this.save();
  }

  private save(): void {
    writeJsonAtomic(this.file, [...this.merchants.values()]);
  }

  list(): Merchant[] {
    return [...this.merchants.values()];
  }

  get(merchantNumber: string): Merchant | undefined {
    return this.merchants.get(merchantNumber);
  }

  /** A new merchant contract (signed on paper, in the real world). */
  addContract(merchantNumber: string, storeName: string, save = true): Merchant {
    const existing = this.merchants.get(merchantNumber);
    if (existing) return existing;
    const merchant: Merchant = { merchantNumber, contractName: storeName, status: 'contracted', info: { version: 1, name: storeName, status: 'active' }, acquisitionNumbers: [] };
    this.merchants.set(merchantNumber, merchant);
    if (save) this.save();
    return merchant;
  }

  /**
   * ServerPOS forwards a store's application: verified when the merchant
   * number is under contract here and the store name matches the contract.
   */
  apply(input: { merchantNumber: string; storeName: string; contactEmail?: string }, now = new Date()): ApplicationResult {
    const merchant = this.merchants.get(input.merchantNumber);
    if (!merchant) return { status: 'rejected', code: 'unknown_merchant', reason: 'This merchant number has no contract with us.' };
    if (merchant.status === 'withdrawn') return { status: 'rejected', code: 'merchant_withdrawn', reason: 'This merchant has withdrawn.' };
    if (normalise(merchant.contractName) !== normalise(input.storeName)) {
      return { status: 'rejected', code: 'details_mismatch', reason: 'The store name does not match our contract.' };
    }
    if (merchant.status === 'contracted') {
      merchant.status = 'active';
      merchant.enrolledAt = now.toISOString();
    }
    if (input.contactEmail) merchant.contactEmail = input.contactEmail;
    const acquisitionNumber = this.issueNumber(merchant, now);
    this.save();
    return { status: 'verified', merchantNumber: merchant.merchantNumber, acquisitionNumber, info: merchant.info };
  }

  /** A further acquisition number (another POS, or a renewal) for an enrolled merchant. */
  newAcquisitionNumber(merchantNumber: string, now = new Date()): string | undefined {
    const merchant = this.merchants.get(merchantNumber);
    if (!merchant || merchant.status === 'contracted' || merchant.status === 'withdrawn') return undefined;
    const number = this.issueNumber(merchant, now);
    this.save();
    return number;
  }

  private issueNumber(merchant: Merchant, now: Date): string {
    const number = newAcquisitionNumber();
    merchant.acquisitionNumbers.push({ number, issuedAt: now.toISOString() });
    return number;
  }

  /** The CA asks: is this number valid for this merchant? It is spent by a yes. */
  redeem(merchantNumber: string, acquisitionNumber: string, posId: string, now = new Date()): 'ok' | 'unknown' | 'used' | 'expired' | 'merchant_not_active' {
    const merchant = this.merchants.get(merchantNumber);
    const entry = merchant?.acquisitionNumbers.find((candidate) => candidate.number === acquisitionNumber);
    if (!merchant || !entry) return 'unknown';
    if (merchant.status !== 'active' && merchant.status !== 'suspended') return 'merchant_not_active';
    if (entry.usedAt) return 'used';
    if (now.getTime() - Date.parse(entry.issuedAt) > ACQUISITION_NUMBER_DAYS * 86_400_000) return 'expired';
    entry.usedAt = now.toISOString();
    entry.posId = posId;
    this.save();
    return 'ok';
  }

  /**
   * ServerPOS sends its store information. The newer version wins: it is kept
   * only when its version is above the one held here; otherwise the answer is
   * `stale` with this registry's (newer or equal) copy, for ServerPOS to pull.
   */
  receiveInfo(merchantNumber: string, pushed: PushedStoreInformation): PushResult {
    const merchant = this.merchants.get(merchantNumber);
    if (!merchant || merchant.status === 'contracted') return { status: 'not_enrolled' };
    if (merchant.status === 'withdrawn') return { status: 'withdrawn' };
    if (pushed.version <= merchant.info.version) return { status: 'stale', info: merchant.info };
    const info: StoreInformation = { version: pushed.version, name: pushed.name, status: merchant.info.status };
    // ServerPOS sends its whole copy: a field it leaves out is one the store no longer has.
    for (const field of optionalInfoFields) {
      const value = pushed[field];
      if (value) info[field] = value;
    }
    merchant.info = info;
    this.save();
    return { status: 'accepted', info };
  }

  /** The acquirer changes a merchant on its own: status and/or store information; every change is a new version. */
  change(merchantNumber: string, change: { status?: 'active' | 'suspended'; name?: string; reason?: string } & Partial<Record<OptionalInfoField, string>>): Merchant | undefined {
    const merchant = this.merchants.get(merchantNumber);
    if (!merchant || merchant.status === 'withdrawn') return undefined;
    if (change.status && merchant.status !== 'contracted') {
      merchant.status = change.status;
      merchant.info.status = change.status;
      merchant.suspendedReason = change.status === 'suspended' ? change.reason : undefined;
    }
    if (change.name) merchant.info.name = change.name;
    for (const field of optionalInfoFields) {
      const value = change[field];
      if (value === undefined) continue;
      // An empty string removes the field.
      if (value) merchant.info[field] = value;
      else delete merchant.info[field];
    }
    merchant.info.version += 1;
    this.save();
    return merchant;
  }

  /** ServerPOS confirms the store withdrew from this acquirer. */
  withdraw(merchantNumber: string): Merchant | undefined {
    const merchant = this.merchants.get(merchantNumber);
    if (!merchant) return undefined;
    if (merchant.status !== 'withdrawn') {
      merchant.status = 'withdrawn';
      merchant.info.status = 'withdrawn';
      merchant.info.version += 1;
      this.save();
    }
    return merchant;
  }
}
