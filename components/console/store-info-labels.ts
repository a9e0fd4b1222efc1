import type { StoreInfoField } from '@/lib/stores/store-info';

/** How the console names each store-information field. */
export const storeInfoFieldLabels: Record<StoreInfoField, string> = {
  name: 'store name',
  contactEmail: 'contact e-mail',
  phone: 'phone',
  postalAddress: 'postal address',
  websiteUrl: 'website',
};

export function describeFields(fields: readonly StoreInfoField[]): string {
  return fields.map((field) => storeInfoFieldLabels[field]).join(', ');
}
