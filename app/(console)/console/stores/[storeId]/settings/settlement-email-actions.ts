'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { setSettlementEmails } from '@/lib/stores/set-settlement-emails';

export async function setSettlementEmailsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', ...fields } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    const { settlementEmails, changed } = await setSettlementEmails({ storeId, actor: { type: 'STORE_USER', id: user.userId }, input: fields, origin });
    revalidatePath(`/console/stores/${storeId}/settings`);
    if (!changed) return 'Unchanged.';
    return settlementEmails ? 'Settlement e-mails are on: you get one for each completed capture, void and refund.' : 'Settlement e-mails are off.';
  });
}
