'use server';

import { revalidatePath } from 'next/cache';
import { grantAffiliate } from '@/lib/affiliates/grant-affiliate';
import { revokeAffiliateGrant } from '@/lib/affiliates/revoke-affiliate-grant';
import { requireStoreUser } from '@/lib/auth/current';
import { AppError } from '@/lib/errors';
import { formAction, formFields, formList, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';

export async function grantAffiliateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', ...values } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  // Checkboxes send one value each under one name; formFields keeps only the last.
  const brands = formList(formData, 'brands');
  const origin = await requestOrigin();
  return formAction(
    async () => {
      const granted = await grantAffiliate({ storeId, actor: { type: 'STORE_USER', id: user.userId }, input: { ...values, brands }, origin });
      revalidatePath(`/console/stores/${storeId}/affiliates`);
      return `“${granted.affiliateName}” may now sell through “${granted.posName}”${granted.renewed ? ' again' : ''}. It has been e-mailed the POS id to use.`;
    },
    { ...values, brands: brands.join(',') },
  );
}

export async function revokeAffiliateGrantAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', grantId = '', confirm } = formFields(formData);
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    if (confirm !== 'on') throw new AppError('validation_failed', 'Tick the box to confirm, then withdraw.');
    const revoked = await revokeAffiliateGrant({ storeId, actor: { type: 'STORE_USER', id: user.userId }, grantId, origin });
    revalidatePath(`/console/stores/${storeId}/affiliates`);
    return `“${revoked.affiliateName}” can no longer sell through “${revoked.posName}”.`;
  });
}
