'use server';

import { redirect } from 'next/navigation';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { signUp } from '@/lib/stores/sign-up';

export async function signUpAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const { password: _password, ...values } = formFields(formData);
  return formAction(async () => {
    await signUp(formFields(formData));
    redirect('/signup/check-email');
  }, values);
}
