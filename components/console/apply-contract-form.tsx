'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export interface ApplicableAcquirer {
  code: string;
  name: string;
  brands: string[];
  /** The store applied before and was rejected; this application replaces that one. */
  appliedBefore: boolean;
}

/** "Apply to another acquirer": one merchant contract, with the PIN the store registers for it. */
export function ApplyContractForm(props: { storeId: string; acquirers: ApplicableAcquirer[]; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  return (
    // The key re-mounts the inputs: with the submitted values after an error, empty after a success.
    <form action={formAction} className="max-w-xl space-y-4" noValidate key={state.status === 'error' ? JSON.stringify(values) : state.status}>
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={props.storeId} />
      <FormField id="acquirerCode" label="Acquirer" error={errors.acquirerCode}>
        <Select id="acquirerCode" name="acquirerCode" required defaultValue={values.acquirerCode ?? ''} {...fieldAria('acquirerCode', { error: errors.acquirerCode })}>
          <option value="" disabled>
            Choose an acquirer
          </option>
          {props.acquirers.map((acquirer) => (
            <option key={acquirer.code} value={acquirer.code}>
              {acquirer.name} ({acquirer.brands.join(', ')}){acquirer.appliedBefore ? ' — apply again' : ''}
            </option>
          ))}
        </Select>
      </FormField>
      <FormField id="merchantNumber" label="Merchant number" hint="As printed on your merchant contract with this acquirer." error={errors.merchantNumber}>
        <Input id="merchantNumber" name="merchantNumber" required autoComplete="off" spellCheck={false} maxLength={40} defaultValue={values.merchantNumber} {...fieldAria('merchantNumber', { hint: true, error: errors.merchantNumber })} />
      </FormField>
      <FormField id="pin" label="PIN" hint="4 to 8 digits that you choose for this contract; you will need it to recover your password." error={errors.pin}>
        <Input id="pin" name="pin" type="password" inputMode="numeric" autoComplete="off" required maxLength={8} {...fieldAria('pin', { hint: true, error: errors.pin })} />
      </FormField>
      <Button type="submit" disabled={pending}>
        {pending ? 'Sending…' : 'Apply'}
      </Button>
    </form>
  );
}
