'use client';

import { useActionState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** Merchant number and PIN of one of the store's contracts, and the new password twice. Submitting takes a click, so a prefetch of the link spends nothing. */
export function ResetPasswordForm({ token, action }: { token: string; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="space-y-4" noValidate key={state.status === 'error' ? `${state.code}:${state.message}:${JSON.stringify(errors)}` : 'form'}>
      {state.status === 'error' ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <input type="hidden" name="token" value={token} />
      <FormField id="merchantNumber" label="Merchant number" hint="As on your contract with one of your acquirers." error={errors.merchantNumber}>
        <Input id="merchantNumber" name="merchantNumber" autoComplete="off" required maxLength={40} defaultValue={values.merchantNumber} {...fieldAria('merchantNumber', { hint: true, error: errors.merchantNumber })} />
      </FormField>
      <FormField id="pin" label="Recovery PIN" hint="The 4 to 8 digits registered for that contract." error={errors.pin}>
        <Input id="pin" name="pin" type="password" inputMode="numeric" autoComplete="off" required maxLength={8} {...fieldAria('pin', { hint: true, error: errors.pin })} />
      </FormField>
      <FormField id="password" label="New password" hint="At least 12 characters." error={errors.password}>
        <Input id="password" name="password" type="password" autoComplete="new-password" required minLength={12} maxLength={128} {...fieldAria('password', { hint: true, error: errors.password })} />
      </FormField>
      <FormField id="confirmPassword" label="Repeat the new password" error={errors.confirmPassword}>
        <Input id="confirmPassword" name="confirmPassword" type="password" autoComplete="new-password" required maxLength={128} {...fieldAria('confirmPassword', { error: errors.confirmPassword })} />
      </FormField>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Saving…' : 'Set new password'}
      </Button>
    </form>
  );
}
