'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { setRecoveryPin } from '@/lib/auth/set-recovery-pin';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';

export async function setRecoveryPinAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', ...fields } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  // Nothing is handed back to the form: every field but the contract is a secret.
  return formAction(async () => {
    const { replaced } = await setRecoveryPin({ storeId, actor: { type: 'STORE_USER', id: user.userId }, input: fields, origin: await requestOrigin() });
    revalidatePath(`/console/stores/${storeId}/settings`);
    return replaced ? 'PIN changed.' : 'PIN set.';
  });
}
