'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** The store's choice of an e-mail for every completed capture, void and refund. */
export function SettlementEmailsForm(props: { storeId: string; enabled: boolean; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  return (
    <form action={formAction} className="space-y-3" noValidate key={`saved:${props.enabled}`}>
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={props.storeId} />
      <label className="flex items-start gap-2 text-sm text-slate-800">
        <input type="checkbox" name="settlementEmails" value="on" defaultChecked={props.enabled} className="mt-0.5 h-4 w-4 rounded border-slate-300" aria-describedby="settlement-emails-hint" />
        <span>E-mail me each completed capture, void and refund</span>
      </label>
      <p id="settlement-emails-hint" className="text-xs text-slate-500">
        Sent to the store’s contact e-mail address, with the amount, the order reference and the payment id.
      </p>
      <Button type="submit" variant="outline" size="sm" disabled={pending}>
        {pending ? 'Saving…' : 'Save e-mail setting'}
      </Button>
    </form>
  );
}
