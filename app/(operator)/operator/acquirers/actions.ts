'use server';

import { revalidatePath } from 'next/cache';
import { addBinRange } from '@/lib/acquirers/add-bin-range';
import { deleteBinRange } from '@/lib/acquirers/delete-bin-range';
import { requireOperator } from '@/lib/auth/current';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';

export async function addBinRangeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const values = formFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    const range = await addBinRange({ actor: { type: 'OPERATOR', id: operator.userId }, input: values, origin });
    revalidatePath('/operator/acquirers');
    return `Added ${range.brand} ${range.binFrom}–${range.binTo} for ${range.acquirerName}. Checkouts route such cards there from now on.`;
  }, values);
}

export async function deleteBinRangeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const operator = await requireOperator();
  const { binRangeId = '' } = formFields(formData);
  const origin = await requestOrigin();
  return formAction(async () => {
    const range = await deleteBinRange({ actor: { type: 'OPERATOR', id: operator.userId }, binRangeId, origin });
    revalidatePath('/operator/acquirers');
    return `Deleted ${range.brand} ${range.binFrom}–${range.binTo} of ${range.acquirerName}.`;
  });
}
