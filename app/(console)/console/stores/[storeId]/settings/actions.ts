'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { updateStoreProfile } from '@/lib/stores/update-store-profile';

export async function updateStoreProfileAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', ...values } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  return formAction(async () => {
    const { storeInfoVersion } = await updateStoreProfile({ storeId, actor: { type: 'STORE_USER', id: user.userId }, input: values });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    return `Saved. This is version ${storeInfoVersion} of your store information.`;
  }, values);
}
