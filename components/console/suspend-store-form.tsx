'use client';

import { useActionState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Textarea } from '@/components/ui/textarea';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** Suspends the store's processing: a reason, and an explicit tick, because it stops every payment at once. */
export function SuspendStoreForm({ storeId, action }: { storeId: string; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="max-w-xl space-y-4" noValidate key={state.status === 'error' ? JSON.stringify(values) : 'form'}>
      {state.status === 'ok' ? (
        <Alert variant="info">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {state.status === 'error' ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <input type="hidden" name="storeId" value={storeId} />
      <FormField id="reason" label="Reason" hint="For example: our password may have leaked. Kept in the audit log and e-mailed to your contact address." error={errors.reason}>
        <Textarea id="reason" name="reason" rows={3} required maxLength={500} defaultValue={values.reason} {...fieldAria('reason', { hint: true, error: errors.reason })} />
      </FormField>
      <div className="space-y-1.5">
        <div className="flex items-start gap-2">
          <input
            id="confirm"
            name="confirm"
            type="checkbox"
            required
            defaultChecked={values.confirm === 'on'}
            className="mt-0.5 size-4 rounded border-slate-300 text-red-600 focus:ring-red-500"
            {...fieldAria('confirm', { error: errors.confirm })}
          />
          <label htmlFor="confirm" className="text-sm text-slate-800">
            I understand that every acquirer stops processing payments for this store, and that everyone signed in to this store is signed out.
          </label>
        </div>
        {errors.confirm ? (
          <p id="confirm-error" className="text-sm text-red-700">
            {errors.confirm}
          </p>
        ) : null}
      </div>
      <Button type="submit" variant="destructive" disabled={pending}>
        {pending ? 'Suspending…' : 'Suspend processing'}
      </Button>
    </form>
  );
}
