'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Textarea } from '@/components/ui/textarea';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** The sites (origins) allowed to show the store's checkout in a frame: one per line. */
export function CheckoutFrameOriginsForm(props: { storeId: string; origins: string[]; maxOrigins: number; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const error = state.status === 'error' ? state.fields.checkoutFrameOrigins : undefined;
  const saved = props.origins.join('\n');
  const value = state.status === 'error' && state.values ? (state.values.checkoutFrameOrigins ?? saved) : saved;
  return (
    <form action={formAction} className="max-w-xl space-y-3" noValidate key={state.status === 'error' ? `error:${value}` : `saved:${saved}`}>
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={props.storeId} />
      <FormField
        id="checkoutFrameOrigins"
        label="Sites that may embed your checkout"
        hint={`One origin per line, e.g. https://shop.example — https only (http://localhost and http://127.0.0.1 for development), no paths, no wildcards, at most ${props.maxOrigins}. Leave empty to let no site embed it.`}
        error={error}
      >
        <Textarea id="checkoutFrameOrigins" name="checkoutFrameOrigins" rows={4} spellCheck={false} defaultValue={value} {...fieldAria('checkoutFrameOrigins', { hint: true, error })} />
      </FormField>
      <Button type="submit" variant="outline" size="sm" disabled={pending}>
        {pending ? 'Saving…' : 'Save embedding sites'}
      </Button>
    </form>
  );
}
