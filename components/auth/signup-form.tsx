'use client';

import { useActionState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export function SignUpForm({ action }: { action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state.status === 'error' && Object.keys(errors).length === 0 ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <FormField id="storeName" label="Store name" error={errors.storeName}>
        <Input id="storeName" name="storeName" required maxLength={120} defaultValue={values.storeName} {...fieldAria('storeName', { error: errors.storeName })} />
      </FormField>
      <FormField id="ownerName" label="Your name" error={errors.ownerName}>
        <Input id="ownerName" name="ownerName" autoComplete="name" required maxLength={120} defaultValue={values.ownerName} {...fieldAria('ownerName', { error: errors.ownerName })} />
      </FormField>
      <FormField id="email" label="E-mail address" hint="We send a confirmation link here." error={errors.email}>
        <Input id="email" name="email" type="email" autoComplete="email" required maxLength={254} defaultValue={values.email} {...fieldAria('email', { hint: true, error: errors.email })} />
      </FormField>
      <FormField id="password" label="Password" hint="At least 12 characters." error={errors.password}>
        <Input id="password" name="password" type="password" autoComplete="new-password" required minLength={12} maxLength={128} {...fieldAria('password', { hint: true, error: errors.password })} />
      </FormField>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Creating your account…' : 'Create account'}
      </Button>
    </form>
  );
}
