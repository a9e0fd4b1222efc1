'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export interface AcquirerFormValues {
  code: string;
  name: string;
  gatewayUrl: string;
  registryUrl: string;
  brands: string[];
  status: 'ACTIVE' | 'DISABLED';
}

/**
 * Adds an acquirer (with its code) or edits one (with its status; the code never changes). Brands are
 * checkboxes sharing one name; the action hands them back joined by commas when the form is refused.
 */
export function AcquirerForm(props: {
  mode: 'create' | 'edit';
  brands: readonly string[];
  initial?: AcquirerFormValues;
  acquirerId?: string;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const typed = state.status === 'error' ? state.values : undefined;
  const value = (name: keyof AcquirerFormValues) => typed?.[name] ?? (props.initial ? String(props.initial[name]) : '');
  const chosenBrands = typed ? (typed.brands ?? '').split(',').filter(Boolean) : (props.initial?.brands ?? []);
  const brandError = errors.brands ?? Object.entries(errors).find(([path]) => path.startsWith('brands.'))?.[1];
  const id = (name: string) => `acquirer-${props.mode}-${name}`;
  return (
    <form
      action={formAction}
      noValidate
      className="space-y-4"
      aria-label={props.mode === 'create' ? 'Add an acquirer' : 'Acquirer settings'}
      // A new, empty form after each acquirer added; the edit form keeps showing what was saved.
      key={props.mode === 'create' && state.status === 'ok' ? state.message : 'form'}
    >
      <FormStatus state={state} />
      {props.acquirerId ? <input type="hidden" name="acquirerId" value={props.acquirerId} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        {props.mode === 'create' ? (
          <FormField id={id('code')} label="Code" hint="Stable public id, e.g. ACQ-CARD. Cannot be changed later." error={errors.code}>
            <Input id={id('code')} name="code" maxLength={40} autoComplete="off" defaultValue={value('code')} {...fieldAria(id('code'), { hint: true, error: errors.code })} />
          </FormField>
        ) : null}
        <FormField id={id('name')} label="Name" error={errors.name}>
          <Input id={id('name')} name="name" maxLength={120} autoComplete="off" defaultValue={value('name')} {...fieldAria(id('name'), { error: errors.name })} />
        </FormField>
        <FormField id={id('gatewayUrl')} label="Gateway URL" hint="The SET payment gateway, e.g. https://gateway.example/set" error={errors.gatewayUrl}>
          <Input id={id('gatewayUrl')} name="gatewayUrl" type="url" maxLength={500} autoComplete="off" defaultValue={value('gatewayUrl')} {...fieldAria(id('gatewayUrl'), { hint: true, error: errors.gatewayUrl })} />
        </FormField>
        <FormField id={id('registryUrl')} label="Registry URL" hint="Merchant registry (enrolment, store information). Optional." error={errors.registryUrl}>
          <Input id={id('registryUrl')} name="registryUrl" type="url" maxLength={500} autoComplete="off" defaultValue={value('registryUrl')} {...fieldAria(id('registryUrl'), { hint: true, error: errors.registryUrl })} />
        </FormField>
        {props.mode === 'edit' ? (
          <FormField id={id('status')} label="Status" hint="A disabled acquirer takes no new application, payment or store-information push." error={errors.status}>
            <Select id={id('status')} name="status" defaultValue={value('status') || 'ACTIVE'} {...fieldAria(id('status'), { hint: true, error: errors.status })}>
              <option value="ACTIVE">Active</option>
              <option value="DISABLED">Disabled</option>
            </Select>
          </FormField>
        ) : null}
      </div>
      <fieldset className="space-y-1.5" aria-describedby={brandError ? id('brands-error') : undefined}>
        <legend className="text-sm font-medium text-slate-800">Brands</legend>
        <div className="flex flex-wrap gap-4">
          {props.brands.map((brand) => (
            <label key={brand} className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" name="brands" value={brand} defaultChecked={chosenBrands.includes(brand)} className="size-4 rounded border-slate-300" />
              {brand}
            </label>
          ))}
        </div>
        {brandError ? (
          <p id={id('brands-error')} className="text-sm text-red-700">
            {brandError}
          </p>
        ) : null}
      </fieldset>
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : props.mode === 'create' ? 'Add acquirer' : 'Save settings'}
      </Button>
    </form>
  );
}
