'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { redeliverWebhookEvent } from '@/lib/webhooks/redeliver-webhook-event';

export async function redeliverWebhookAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '', eventId = '' } = formFields(formData);
  // The tenant check comes first: another store's id answers "not found"; another store's event is not found either.
  const user = await requireStoreUser(storeId);
  const origin = await requestOrigin();
  return formAction(async () => {
    const { url } = await redeliverWebhookEvent({ storeId, actor: { type: 'STORE_USER', id: user.userId }, eventId, origin });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    return `Queued for redelivery to ${new URL(url).host}. The attempt appears in the delivery log within a few seconds.`;
  });
}
