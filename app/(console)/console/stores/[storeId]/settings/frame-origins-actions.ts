'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { setCheckoutFrameOrigins } from '@/lib/stores/set-checkout-frame-origins';

export async function setCheckoutFrameOriginsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', ...fields } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    const { checkoutFrameOrigins, changed } = await setCheckoutFrameOrigins({ storeId, actor: { type: 'STORE_USER', id: user.userId }, input: fields, origin });
    revalidatePath(`/console/stores/${storeId}/settings`);
    if (!changed) return 'Unchanged.';
    if (checkoutFrameOrigins.length === 0) return 'No site may embed your checkout now.';
    return `Saved: ${checkoutFrameOrigins.length === 1 ? 'this site' : `these ${checkoutFrameOrigins.length} sites`} may embed your checkout.`;
  }, fields);
}
