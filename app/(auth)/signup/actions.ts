'use server';

import { redirect } from 'next/navigation';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { nestFormFields } from '@/lib/http/nest-form-fields';
import { signUp } from '@/lib/stores/sign-up';

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = formFields(formData);
  // Secrets are never sent back to be shown again: not the password, not a PIN.
  const values = Object.fromEntries(Object.entries(fields).filter(([key]) => key !== 'password' && !key.endsWith('.pin')));
  return formAction(async () => {
    await signUp(nestFormFields(fields));
    redirect('/signup/check-email');
  }, values);
}
