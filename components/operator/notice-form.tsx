'use client';

import { useActionState, useState } from 'react';
import { FormStatus } from '@/components/console/form-status';
import { Button } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { Textarea } from '@/components/ui/textarea';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

const kindOptions = [
  { value: 'NOTICE', label: 'Notice' },
  { value: 'ALERT', label: 'Alert' },
  { value: 'ADVERTISEMENT', label: 'Advertisement' },
  { value: 'INFORMATION', label: 'Information panel (a third party’s service, with its link)' },
] as const;

/**
 * The operator publishes a notice: its kind, title, plain-text body and link, whom it is for (all stores,
 * or the stores of the ticked acquirers) and when it shows, in UTC. Each field's problem shows beside it.
 */
export function NoticeForm(props: { acquirers: { id: string; name: string; code: string }[]; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  const errors = state.status === 'error' ? state.fields : {};
  const values = state.status === 'error' ? (state.values ?? {}) : {};
  const [target, setTarget] = useState(values.target === 'acquirers' ? 'acquirers' : 'all');
  const ticked = values.acquirerIds ? values.acquirerIds.split(',') : [];
  // A problem with one ticked acquirer (acquirerIds.0) shows with the list.
  const acquirersError = errors.acquirerIds ?? Object.entries(errors).find(([path]) => path.startsWith('acquirerIds.'))?.[1];
  const field = (id: string, name: string, hint?: boolean) => fieldAria(id, { hint, error: errors[name] });
  return (
    <form
      action={formAction}
      noValidate
      className="max-w-3xl space-y-4"
      aria-label="Publish a notice"
      // Re-mounted after a success (empty form) and after an error (the values sent), keeping the message.
      key={state.status === 'ok' ? `ok:${state.message}` : state.status === 'error' ? JSON.stringify(values) : 'idle'}
    >
      <FormStatus state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id="notice-kind" label="Kind" error={errors.kind}>
          <Select id="notice-kind" name="kind" defaultValue={values.kind ?? 'NOTICE'} {...field('notice-kind', 'kind')}>
            {kindOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </Select>
        </FormField>
        <FormField id="notice-title" label="Title" error={errors.title}>
          <Input id="notice-title" name="title" autoComplete="off" maxLength={200} defaultValue={values.title ?? ''} {...field('notice-title', 'title')} />
        </FormField>
      </div>
      <FormField id="notice-body" label="Text" hint="Plain text, up to 5000 characters; line breaks are kept." error={errors.body}>
        <Textarea id="notice-body" name="body" rows={4} maxLength={5000} defaultValue={values.body ?? ''} {...field('notice-body', 'body', true)} />
      </FormField>
      <FormField id="notice-link" label="Link" hint="An http(s) URL, opened in a new tab. Required for an information panel, optional otherwise." error={errors.linkUrl}>
        <Input id="notice-link" name="linkUrl" type="url" inputMode="url" autoComplete="off" maxLength={500} placeholder="https://" defaultValue={values.linkUrl ?? ''} {...field('notice-link', 'linkUrl', true)} />
      </FormField>
      <fieldset className="space-y-2" aria-describedby={acquirersError ? 'notice-acquirers-error' : undefined}>
        <legend className="text-sm font-medium text-slate-800">Shown to</legend>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="radio" name="target" value="all" checked={target === 'all'} onChange={() => setTarget('all')} className="h-4 w-4 border-slate-300" />
          All stores
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="radio" name="target" value="acquirers" checked={target === 'acquirers'} onChange={() => setTarget('acquirers')} className="h-4 w-4 border-slate-300" />
          Stores of these acquirers (a verified contract, or one being withdrawn):
        </label>
        <div className="flex flex-wrap gap-4 pl-6">
          {props.acquirers.map((acquirer) => (
            <label key={acquirer.id} className="flex items-center gap-2 text-sm text-slate-700">
              <input
                type="checkbox"
                name="acquirerIds"
                value={acquirer.id}
                defaultChecked={ticked.includes(acquirer.id)}
                disabled={target !== 'acquirers'}
                className="h-4 w-4 rounded border-slate-300"
              />
              {acquirer.name} <span className="font-mono text-xs text-slate-500">{acquirer.code}</span>
            </label>
          ))}
        </div>
        {acquirersError ? (
          <p id="notice-acquirers-error" className="text-sm text-red-700">
            {acquirersError}
          </p>
        ) : null}
        {errors.target ? <p className="text-sm text-red-700">{errors.target}</p> : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <FormField id="notice-start" label="Start (UTC)" hint="Empty for now." error={errors.publishedAt}>
          <Input id="notice-start" name="publishedAt" type="datetime-local" defaultValue={values.publishedAt ?? ''} {...field('notice-start', 'publishedAt', true)} />
        </FormField>
        <FormField id="notice-end" label="End (UTC)" hint="Empty to keep it until it is withdrawn." error={errors.expiresAt}>
          <Input id="notice-end" name="expiresAt" type="datetime-local" defaultValue={values.expiresAt ?? ''} {...field('notice-end', 'expiresAt', true)} />
        </FormField>
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? 'Publishing…' : 'Publish'}
      </Button>
    </form>
  );
}
