'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** Sets or changes one contract's recovery PIN; the user's current password is asked for every time. */
export function RecoveryPinForm(props: {
  storeId: string;
  contractId: string;
  hasPin: boolean;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  // Several of these forms share a page: every id carries the contract's.
  const id = (name: string) => `pin-${props.contractId}-${name}`;
  const aria = (name: string, hint?: boolean) => fieldAria(id(name), { hint, error: errors[name] });
  return (
    <form action={formAction} className="space-y-3" noValidate>
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={props.storeId} />
      <input type="hidden" name="contractId" value={props.contractId} />
      <div className="grid gap-3 sm:grid-cols-3">
        <FormField id={id('pin')} label={props.hasPin ? 'New PIN' : 'PIN'} hint="4 to 8 digits." error={errors.pin}>
          <Input id={id('pin')} name="pin" type="password" inputMode="numeric" autoComplete="off" required maxLength={8} {...aria('pin', true)} />
        </FormField>
        <FormField id={id('confirmPin')} label="Repeat the PIN" error={errors.confirmPin}>
          <Input id={id('confirmPin')} name="confirmPin" type="password" inputMode="numeric" autoComplete="off" required maxLength={8} {...aria('confirmPin')} />
        </FormField>
        <FormField id={id('currentPassword')} label="Your current password" error={errors.currentPassword}>
          <Input id={id('currentPassword')} name="currentPassword" type="password" autoComplete="current-password" required maxLength={128} {...aria('currentPassword')} />
        </FormField>
      </div>
      <Button type="submit" variant="outline" disabled={pending}>
        {pending ? 'Saving…' : props.hasPin ? 'Change PIN' : 'Set PIN'}
      </Button>
    </form>
  );
}
