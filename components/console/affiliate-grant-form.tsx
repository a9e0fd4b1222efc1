'use client';

import { useActionState, useState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export interface LendablePos {
  id: string;
  name: string;
  brands: string[];
}

/**
 * The owner lets another store sell through one of its POSes: the other store's id, the POS, and the
 * limits. The brands offered are those the chosen POS takes; amounts are minor units of the currency.
 */
export function AffiliateGrantForm(props: {
  storeId: string;
  poses: LendablePos[];
  currencies: string[];
  /** Defaults for the period, as YYYY-MM-DD (UTC). */
  today: string;
  inAMonth: string;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  const [posId, setPosId] = useState(values.posId ?? props.poses[0]?.id ?? '');
  const pos = props.poses.find((candidate) => candidate.id === posId) ?? props.poses[0];
  const chosenBrands = values.brands ? values.brands.split(',') : (pos?.brands ?? []);
  const field = (id: string, hint?: boolean) => fieldAria(id, { hint, error: errors[id] });
  return (
    <form
      action={formAction}
      noValidate
      className="max-w-2xl space-y-4"
      aria-label="Let another store use a POS"
      // Re-mounted after a success (empty form) and after an error (the values sent), keeping the message.
      key={state.status === 'ok' ? `ok:${state.message}` : state.status === 'error' ? JSON.stringify(values) : 'idle'}
    >
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={props.storeId} />
      <FormField id="affiliateStoreId" label="Other store’s id" hint="The store id shown on the other store’s Store settings page; ask its owner for it." error={errors.affiliateStoreId}>
        <Input id="affiliateStoreId" name="affiliateStoreId" autoComplete="off" spellCheck={false} maxLength={60} className="font-mono" placeholder="xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" defaultValue={values.affiliateStoreId ?? ''} {...field('affiliateStoreId', true)} />
      </FormField>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id="posId" label="Your POS" error={errors.posId}>
          <Select id="posId" name="posId" value={pos?.id ?? ''} onChange={(event) => setPosId(event.target.value)} {...field('posId')}>
            {props.poses.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.name} ({candidate.brands.join(', ')})
              </option>
            ))}
          </Select>
        </FormField>
        <FormField id="currency" label="Currency" error={errors.currency}>
          <Select id="currency" name="currency" defaultValue={values.currency ?? props.currencies[0]} {...field('currency')}>
            {props.currencies.map((currency) => (
              <option key={currency} value={currency}>
                {currency}
              </option>
            ))}
          </Select>
        </FormField>
      </div>
      <fieldset className="space-y-2" aria-describedby={errors.brands ? 'brands-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">Brands it may take</legend>
        <div className="flex flex-wrap gap-4" key={pos?.id}>
          {(pos?.brands ?? []).map((brand) => (
            <label key={brand} className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="brands" value={brand} defaultChecked={chosenBrands.includes(brand)} className="h-4 w-4 rounded border-slate-300" />
              {brand}
            </label>
          ))}
        </div>
        {errors.brands ? (
          <p id="brands-error" className="text-sm text-red-700">
            {errors.brands}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id="maxAmount" label="Most per payment" hint="In minor units (e.g. yen, or cents); empty for no limit." error={errors.maxAmount}>
          <Input id="maxAmount" name="maxAmount" inputMode="numeric" autoComplete="off" maxLength={13} defaultValue={values.maxAmount ?? ''} {...field('maxAmount', true)} />
        </FormField>
        <FormField id="dailyLimit" label="Most per day (UTC)" hint="The total it may authorise through the POS in a UTC day; empty for no limit." error={errors.dailyLimit}>
          <Input id="dailyLimit" name="dailyLimit" inputMode="numeric" autoComplete="off" maxLength={13} defaultValue={values.dailyLimit ?? ''} {...field('dailyLimit', true)} />
        </FormField>
        <FormField id="validFrom" label="First day (UTC)" error={errors.validFrom}>
          <Input id="validFrom" name="validFrom" type="date" defaultValue={values.validFrom ?? props.today} {...field('validFrom')} />
        </FormField>
        <FormField id="validUntil" label="Last day (UTC)" hint="Included." error={errors.validUntil}>
          <Input id="validUntil" name="validUntil" type="date" defaultValue={values.validUntil ?? props.inAMonth} {...field('validUntil', true)} />
        </FormField>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Granting…' : 'Grant use of the POS'}
      </Button>
    </form>
  );
}
