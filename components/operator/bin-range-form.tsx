'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/** Adds a row to an acquirer's BIN-range table: a brand it takes and the first and last BIN (6–8 digits, same length). */
export function BinRangeForm(props: { acquirerId: string; acquirerName: string; brands: string[]; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  const id = (name: string) => `${name}-${props.acquirerId}`;
  return (
    <form action={formAction} noValidate className="space-y-3" aria-label={`Add a BIN range for ${props.acquirerName}`} key={state.status === 'ok' ? state.message : 'form'}>
      <FormStatus state={state} />
      <input type="hidden" name="acquirerId" value={props.acquirerId} />
      <div className="flex flex-wrap items-start gap-3">
        <div className="w-36">
          <FormField id={id('brand')} label="Brand" error={errors.brand}>
            <Select id={id('brand')} name="brand" defaultValue={values.brand ?? props.brands[0]} {...fieldAria(id('brand'), { error: errors.brand })}>
              {props.brands.map((brand) => (
                <option key={brand} value={brand}>
                  {brand}
                </option>
              ))}
            </Select>
          </FormField>
        </div>
        <div className="w-40">
          <FormField id={id('binFrom')} label="First BIN" error={errors.binFrom}>
            <Input id={id('binFrom')} name="binFrom" inputMode="numeric" autoComplete="off" maxLength={8} placeholder="411100" defaultValue={values.binFrom ?? ''} {...fieldAria(id('binFrom'), { error: errors.binFrom })} />
          </FormField>
        </div>
        <div className="w-40">
          <FormField id={id('binTo')} label="Last BIN" error={errors.binTo}>
            <Input id={id('binTo')} name="binTo" inputMode="numeric" autoComplete="off" maxLength={8} placeholder="411199" defaultValue={values.binTo ?? ''} {...fieldAria(id('binTo'), { error: errors.binTo })} />
          </FormField>
        </div>
        <div className="pt-7">
          <Button type="submit" size="sm" disabled={pending}>
            {pending ? 'Adding…' : 'Add range'}
          </Button>
        </div>
      </div>
    </form>
  );
}
