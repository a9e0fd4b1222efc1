'use server';

import { requestPasswordReset } from '@/lib/auth/request-password-reset';
import { RESET_TOKEN_MINUTES } from '@/lib/auth/recovery-policy';
import { formAction, formFields, type FormState } from '@/lib/http/form-state';
import { requestOrigin } from '@/lib/http/request-origin';

export async function forgotPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const values = formFields(formData);
  return formAction(async () => {
    await requestPasswordReset({ input: values, origin: await requestOrigin() });
    // The same answer whether or not the address has an account.
    return `If an account exists for that address, we sent a link to reset your password. The link works for ${RESET_TOKEN_MINUTES} minutes.`;
  }, values);
}
