'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { setWebhookUrl } from '@/lib/webhooks/set-webhook-url';

export async function setWebhookUrlAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', posId = '', webhookUrl = '' } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found" and changes nothing.
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    const result = await setWebhookUrl({ storeId, actor: { type: 'STORE_USER', id: user.userId }, posId, input: { webhookUrl }, origin });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    if (!result.changed) return 'The webhook URL is unchanged.';
    return result.webhookUrl ? 'Saved. Payment events of this POS are sent to this URL from now on.' : 'Cleared. Payment events of this POS are still recorded, but no longer sent.';
  }, { webhookUrl });
}
