'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Textarea } from '@/components/ui/textarea';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** The operator suspends a store: a reason the store is e-mailed, and an explicit tick, because every payment stops at once. */
export function OperatorSuspendForm({ storeId, action }: { storeId: string; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="max-w-xl space-y-4" noValidate aria-label="Suspend processing" key={state.status === 'error' ? JSON.stringify(values) : state.status}>
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={storeId} />
      <FormField id="suspend-reason" label="Reason" hint="Kept in the audit log and e-mailed to the store’s contact address." error={errors.reason}>
        <Textarea id="suspend-reason" name="reason" rows={3} maxLength={500} defaultValue={values.reason} {...fieldAria('suspend-reason', { hint: true, error: errors.reason })} />
      </FormField>
      <div className="space-y-1.5">
        <div className="flex items-start gap-2">
          <input
            id="suspend-confirm"
            name="confirm"
            type="checkbox"
            defaultChecked={values.confirm === 'on'}
            className="mt-0.5 size-4 rounded border-slate-300 text-red-600 focus:ring-red-500"
            {...fieldAria('suspend-confirm', { error: errors.confirm })}
          />
          <label htmlFor="suspend-confirm" className="text-sm text-slate-800">
            I understand that every acquirer stops processing payments for this store until the operator resumes it.
          </label>
        </div>
        {errors.confirm ? (
          <p id="suspend-confirm-error" className="text-sm text-red-700">
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
