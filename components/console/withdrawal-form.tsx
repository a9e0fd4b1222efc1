'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export interface WithdrawableContract {
  acquirerId: string;
  acquirerName: string;
  merchantNumber: string;
}

/** Withdrawal from chosen acquirers or from all of them, confirmed with a checkbox and the user's password. */
export function WithdrawalForm(props: { storeId: string; contracts: WithdrawableContract[]; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  return (
    <form action={formAction} className="max-w-xl space-y-4" noValidate>
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={props.storeId} />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Withdraw from</legend>
        {props.contracts.map((contract) => (
          <label key={contract.acquirerId} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={`acquirer.${contract.acquirerId}`} className="h-4 w-4 rounded border-slate-300" />
            {contract.acquirerName} <span className="text-slate-500">(merchant {contract.merchantNumber})</span>
          </label>
        ))}
        {errors.acquirers ? <p className="text-sm text-red-700">{errors.acquirers}</p> : null}
      </fieldset>
      <label className="flex items-start gap-2 text-sm text-slate-700">
        <input type="checkbox" name="confirm" className="mt-0.5 h-4 w-4 rounded border-slate-300" aria-describedby={errors.confirm ? 'confirm-error' : undefined} />
        I understand: payments through these acquirers stop now, their certificates are revoked and the private keys destroyed. This cannot be undone.
      </label>
      {errors.confirm ? (
        <p id="confirm-error" className="text-sm text-red-700">
          {errors.confirm}
        </p>
      ) : null}
      <FormField id="withdraw-password" label="Your password" error={errors.password}>
        <Input id="withdraw-password" name="password" type="password" autoComplete="current-password" {...fieldAria('withdraw-password', { error: errors.password })} />
      </FormField>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" name="scope" value="selected" variant="destructive" disabled={pending}>
          Withdraw from selected acquirers
        </Button>
        <Button type="submit" name="scope" value="all" variant="destructive" disabled={pending}>
          Withdraw from all acquirers and close the store
        </Button>
      </div>
    </form>
  );
}
