'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** Sets or clears the URL one POS's payment events are POSTed to. Several share the POSes page: ids carry the POS's. */
export function WebhookUrlForm(props: { storeId: string; posId: string; posName: string; webhookUrl: string | null; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const error = state.status === 'error' ? state.fields.webhookUrl : undefined;
  const value = state.status === 'error' && state.values ? (state.values.webhookUrl ?? '') : (props.webhookUrl ?? '');
  const id = `pos-${props.posId}-webhook-url`;
  return (
    // Re-mounted with the stored URL after a save, and with what was typed after an error.
    <form action={formAction} className="max-w-xl space-y-3" noValidate key={state.status === 'error' ? `error:${value}` : `saved:${props.webhookUrl ?? ''}`} data-testid={`webhook-url-form-${props.posName}`}>
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={props.storeId} />
      <input type="hidden" name="posId" value={props.posId} />
      <FormField id={id} label="Webhook URL" hint="Payment events of this POS are POSTed here as JSON, signed with ServerPOS’s published key. http:// or https://; leave empty to stop sending." error={error}>
        <Input id={id} name="webhookUrl" type="url" inputMode="url" autoComplete="off" maxLength={2000} placeholder="https://shop.example/hooks/serverpos" defaultValue={value} {...fieldAria(id, { hint: true, error })} />
      </FormField>
      <Button type="submit" variant="outline" size="sm" disabled={pending}>
        {pending ? 'Saving…' : 'Save webhook URL'}
      </Button>
    </form>
  );
}
