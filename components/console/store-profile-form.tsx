'use client';

import { useActionState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

export interface StoreProfileValues {
  name: string;
  contactEmail: string;
  phone: string;
  postalAddress: string;
  websiteUrl: string;
  certificateAlertDays: string;
}

export function StoreProfileForm(props: {
  storeId: string;
  /** The storeInfoVersion the initial values are; a save over a newer one is refused rather than undoing it. */
  version: number;
  initial: StoreProfileValues;
  action: (state: FormState, formData: FormData) => Promise<FormState>;
}) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values: StoreProfileValues = state.status === 'error' && state.values ? { ...props.initial, ...state.values } : props.initial;
  const field = (id: keyof StoreProfileValues, hint?: boolean) => fieldAria(id, { hint, error: errors[id] });
  return (
    // The key re-mounts the inputs with the submitted values after an error, and with the stored ones when
    // they change under the form (an acquirer's change pulled in), without losing the message above.
    <form action={formAction} className="max-w-xl space-y-4" noValidate key={state.status === 'error' ? JSON.stringify(values) : `saved:${props.version}:${JSON.stringify(props.initial)}`}>
      <FormStatus state={state} />
      <input type="hidden" name="storeId" value={props.storeId} />
      <input type="hidden" name="storeInfoVersion" value={props.version} />
      <FormField id="name" label="Store name" error={errors.name}>
        <Input id="name" name="name" required maxLength={120} defaultValue={values.name} {...field('name')} />
      </FormField>
      <FormField id="contactEmail" label="Contact e-mail" hint="Alerts and payment results go here." error={errors.contactEmail}>
        <Input id="contactEmail" name="contactEmail" type="email" required maxLength={254} defaultValue={values.contactEmail} {...field('contactEmail', true)} />
      </FormField>
      <FormField id="phone" label="Phone" error={errors.phone}>
        <Input id="phone" name="phone" type="tel" maxLength={40} defaultValue={values.phone} {...field('phone')} />
      </FormField>
      <FormField id="postalAddress" label="Postal address" error={errors.postalAddress}>
        <Textarea id="postalAddress" name="postalAddress" rows={3} maxLength={500} defaultValue={values.postalAddress} {...field('postalAddress')} />
      </FormField>
      <FormField id="websiteUrl" label="Website" error={errors.websiteUrl}>
        <Input id="websiteUrl" name="websiteUrl" type="url" maxLength={500} defaultValue={values.websiteUrl} {...field('websiteUrl')} />
      </FormField>
      <FormField id="certificateAlertDays" label="Certificate alert threshold (days)" hint="Certificates expiring within this many days are listed when you sign in." error={errors.certificateAlertDays}>
        <Input id="certificateAlertDays" name="certificateAlertDays" type="number" min={1} max={365} required defaultValue={values.certificateAlertDays} {...field('certificateAlertDays', true)} />
      </FormField>
      <Button type="submit" disabled={pending}>
        {pending ? 'Saving…' : 'Save changes'}
      </Button>
    </form>
  );
}
