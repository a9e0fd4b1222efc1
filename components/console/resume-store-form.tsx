'use client';

import { useActionState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** Lifts the store's own suspension; the password is asked for again, whoever holds the session. */
export function ResumeStoreForm({ storeId, action }: { storeId: string; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  return (
    <form action={formAction} className="max-w-sm space-y-4" noValidate>
      {state.status === 'error' ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <input type="hidden" name="storeId" value={storeId} />
      <FormField id="password" label="Your password" error={errors.password}>
        <Input id="password" name="password" type="password" autoComplete="current-password" required maxLength={128} {...fieldAria('password', { error: errors.password })} />
      </FormField>
      <Button type="submit" disabled={pending}>
        {pending ? 'Resuming…' : 'Resume processing'}
      </Button>
    </form>
  );
}
