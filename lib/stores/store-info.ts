/**
 * Store information — name, contact e-mail, phone, postal address, website — is
 * what ServerPOS and the store's acquirers keep in step, ordered by
 * Store.storeInfoVersion. Settings such as the certificate alert threshold are
 * not part of it.
 */
import type { AcquirerStoreInfo } from '@/lib/acquirers/registry-client';
import type { Tx } from '@/lib/db/client';

export const storeInfoFields = ['name', 'contactEmail', 'phone', 'postalAddress', 'websiteUrl'] as const;
export type StoreInfoField = (typeof storeInfoFields)[number];

export interface StoreInfo {
  name: string;
  contactEmail: string;
  phone: string | null;
  postalAddress: string | null;
  websiteUrl: string | null;
}

export const storeInfoSelect = { name: true, contactEmail: true, phone: true, postalAddress: true, websiteUrl: true } as const;

export function pickStoreInfo(source: StoreInfo): StoreInfo {
  return { name: source.name, contactEmail: source.contactEmail, phone: source.phone, postalAddress: source.postalAddress, websiteUrl: source.websiteUrl };
}

/** The fields whose values differ, in the order of storeInfoFields. */
export function changedStoreInfoFields(before: StoreInfo, after: StoreInfo): StoreInfoField[] {
  return storeInfoFields.filter((field) => (before[field] ?? null) !== (after[field] ?? null));
}

/** ServerPOS's copy as the registry takes it: a field the store does not have is left out. */
export function toAcquirerStoreInfo(info: StoreInfo, version: number): AcquirerStoreInfo {
  return {
    version,
    name: info.name,
    contactEmail: info.contactEmail,
    ...(info.phone ? { phone: info.phone } : {}),
    ...(info.postalAddress ? { postalAddress: info.postalAddress } : {}),
    ...(info.websiteUrl ? { websiteUrl: info.websiteUrl } : {}),
  };
}

/**
 * Makes sure the version about to be replaced has a revision, so the history can say what the first
 * change changed. Stores that never changed their information have none: version 1 is what they gave
 * at sign-up or enrolment. Inside the caller's transaction; a revision already there is left alone.
 */
export async function ensureBaselineRevision(tx: Tx, store: StoreInfo & { id: string; storeInfoVersion: number }): Promise<void> {
  if (store.storeInfoVersion !== 1) return;
  await tx.storeInfoRevision.createMany({
    data: [{ storeId: store.id, version: 1, source: 'ENROLMENT', ...pickStoreInfo(store) }],
    skipDuplicates: true,
  });
}
