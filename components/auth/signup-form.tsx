'use client';

import { useActionState } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export interface SignUpAcquirer {
  code: string;
  name: string;
  brands: string[];
}

/**
 * The enrolment form: the store, its owner's account, and one row per acquirer
 * (merchant number and PIN) for the contracts the store already has. Row
 * inputs are named `contracts.<index>.<field>`, the paths the server reports
 * its errors under, so each error lands beside its input.
 */
export function SignUpForm({ action, acquirers }: { action: (state: FormState, formData: FormData) => Promise<FormState>; acquirers: SignUpAcquirer[] }) {
  const [state, formAction, pending] = useActionState(action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  return (
    <form action={formAction} className="space-y-4" noValidate>
      {state.status === 'error' && Object.keys(errors).length === 0 ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      <FormField id="storeName" label="Store name" hint="As it appears on your merchant contracts." error={errors.storeName}>
        <Input id="storeName" name="storeName" required maxLength={120} defaultValue={values.storeName} {...fieldAria('storeName', { hint: true, error: errors.storeName })} />
      </FormField>
      <FormField id="ownerName" label="Your name" error={errors.ownerName}>
        <Input id="ownerName" name="ownerName" autoComplete="name" required maxLength={120} defaultValue={values.ownerName} {...fieldAria('ownerName', { error: errors.ownerName })} />
      </FormField>
      <FormField id="email" label="E-mail address" hint="We send a confirmation link here, and each acquirer's answer." error={errors.email}>
        <Input id="email" name="email" type="email" autoComplete="email" required maxLength={254} defaultValue={values.email} {...fieldAria('email', { hint: true, error: errors.email })} />
      </FormField>
      <FormField id="password" label="Password" hint="At least 12 characters." error={errors.password}>
        <Input id="password" name="password" type="password" autoComplete="new-password" required minLength={12} maxLength={128} {...fieldAria('password', { hint: true, error: errors.password })} />
      </FormField>
      <fieldset className="space-y-3" aria-describedby={['acquirers-hint', errors.contracts ? 'acquirers-error' : null].filter(Boolean).join(' ')}>
        <legend className="text-sm font-medium text-slate-800">Your acquirers</legend>
        <p id="acquirers-hint" className="text-xs text-slate-500">
          For each acquirer you have a merchant contract with, enter the merchant number and choose a PIN of 4 to 8 digits (you will need it to recover your password). Leave the others empty.
        </p>
        {errors.contracts ? (
          <p id="acquirers-error" className="text-sm text-red-700">
            {errors.contracts}
          </p>
        ) : null}
        {acquirers.length === 0 ? <p className="text-sm text-slate-600">No acquirer is taking enrolments right now. Please try again later.</p> : null}
        {acquirers.map((acquirer, index) => {
          const name = (field: string) => `contracts.${index}.${field}`;
          const id = (field: string) => `contracts-${index}-${field}`;
          const merchantError = errors[name('merchantNumber')];
          const pinError = errors[name('pin')];
          const acquirerError = errors[name('acquirerCode')];
          return (
            <fieldset key={acquirer.code} className="rounded-md border border-slate-200 p-3">
              <legend className="px-1 text-sm font-medium text-slate-900">
                {acquirer.name} <span className="font-normal text-slate-500">· {acquirer.brands.join(', ')}</span>
              </legend>
              <input type="hidden" name={name('acquirerCode')} value={acquirer.code} />
              {acquirerError ? <p className="mb-2 text-sm text-red-700">{acquirerError}</p> : null}
              <div className="grid gap-3 sm:grid-cols-2">
                <FormField id={id('merchantNumber')} label="Merchant number" error={merchantError}>
                  <Input
                    id={id('merchantNumber')}
                    name={name('merchantNumber')}
                    autoComplete="off"
                    spellCheck={false}
                    maxLength={40}
                    defaultValue={values[name('merchantNumber')]}
                    {...fieldAria(id('merchantNumber'), { error: merchantError })}
                  />
                </FormField>
                <FormField id={id('pin')} label="PIN" error={pinError}>
                  <Input
                    id={id('pin')}
                    name={name('pin')}
                    type="password"
                    inputMode="numeric"
                    autoComplete="off"
                    maxLength={8}
                    {...fieldAria(id('pin'), { error: pinError })}
                  />
                </FormField>
              </div>
            </fieldset>
          );
        })}
      </fieldset>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Creating your account…' : 'Create account'}
      </Button>
    </form>
  );
}
