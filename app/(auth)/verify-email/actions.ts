'use server';

import { redirect } from 'next/navigation';
import { verifyEmail } from '@/lib/auth/verify-email';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';

export async function verifyEmailAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return formAction(async () => {
    await verifyEmail(formFields(formData));
    redirect('/login?verified=1');
  });
}
