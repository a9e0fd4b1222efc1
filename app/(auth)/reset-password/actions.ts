'use server';

import { redirect } from 'next/navigation';
import { resetPassword } from '@/lib/auth/reset-password';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';

export async function resetPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = formFields(formData);
  // Only the merchant number is handed back to the form: never the PIN or a password.
  const values = { merchantNumber: fields.merchantNumber ?? '' };
  return formAction(async () => {
    await resetPassword({ input: fields, origin: await requestOrigin() });
    redirect('/login?reset=1');
  }, values);
}
