'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { applyForContract } from '@/lib/stores/apply-for-contract';

export async function applyForContractAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', ...fields } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  // The PIN is never sent back to be shown again.
  const { pin: _pin, ...values } = fields;
  return formAction(async () => {
    const { acquirerName } = await applyForContract({ storeId, actor: { type: 'STORE_USER', id: user.userId }, input: fields, origin });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    return `Your application was sent to ${acquirerName}. Its answer will arrive by e-mail at your store's contact address.`;
  }, values);
}
