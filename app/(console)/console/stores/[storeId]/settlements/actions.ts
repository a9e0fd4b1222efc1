'use server';

import { revalidatePath } from 'next/cache';
import { requireStoreUser } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { sendCaptureBatches } from '@/lib/payments/send-capture-batches';

/** "Send today's batch now": this store's queued captures closed into batches and sent, without waiting for the daily run. */
export async function sendCaptureBatchesAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { storeId = '' } = formFields(formData);
  const user = await requireStoreUser(storeId);
  return formAction(async () => {
    const run = await sendCaptureBatches({ storeId, actor: { type: 'STORE_USER', id: user.userId } });
    revalidatePath(`/console/stores/${storeId}`, 'layout');
    const sent = run.answered + run.failed + run.unanswered;
    if (sent === 0) return 'Nothing was waiting: no capture is queued and every batch has its answer.';
    const parts = [`${run.answered} answered`, ...(run.failed > 0 ? [`${run.failed} refused by the acquirer`] : []), ...(run.unanswered > 0 ? [`${run.unanswered} without an answer yet (sent again automatically)`] : [])];
    return `Sent ${sent} ${sent === 1 ? 'batch' : 'batches'}: ${parts.join(', ')}.`;
  });
}
