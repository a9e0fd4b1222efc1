'use server';

import { revalidatePath } from 'next/cache';
import { requireOperator } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';
import { resumeStore } from '@/lib/stores/resume-store';
import { suspendStore, suspendStoreFormSchema } from '@/lib/stores/suspend-store';
import { parseInput } from '@/lib/validation';

/** The operator suspends a store's processing: a reason, and the tick that says it is meant. */
export async function operatorSuspendStoreAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { storeId = '', ...fields } = formFields(formData);
  return formAction(
    async () => {
      const { reason } = parseInput(suspendStoreFormSchema, fields);
      const { changed } = await suspendStore({ storeId, actor: { type: 'OPERATOR', id: operator.userId }, source: 'OPERATOR', reason, origin: await requestOrigin() });
      revalidatePath(`/operator/stores/${storeId}`);
      return changed ? 'Processing suspended. The store has been e-mailed the reason.' : 'Processing was already suspended; that suspension stands.';
    },
    { reason: fields.reason ?? '', confirm: fields.confirm ?? '' },
  );
}

export async function operatorResumeStoreAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { storeId = '' } = formFields(formData);
  return formAction(async () => {
    await resumeStore({ storeId, actor: { type: 'OPERATOR', id: operator.userId }, source: 'OPERATOR', origin: await requestOrigin() });
    revalidatePath(`/operator/stores/${storeId}`);
    return 'Processing resumed. The store has been e-mailed.';
  });
}
