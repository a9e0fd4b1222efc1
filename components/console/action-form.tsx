'use client';

import { useActionState, type ReactNode } from 'react';
import { Alert, AlertDescription } from '@/components/ui/alert';
import { Button, type ButtonProps } from '@/components/ui/button';
import { FormField, fieldAria } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { idleForm, type FormState } from '@/lib/http/form-state-shared';

/**
 * A one-button console form (renew, delete, retry…): hidden fields, an
 * optional text input, an optional confirmation checkbox, and the action's
 * answer shown beside it. The button is disabled while the action runs, so a
 * double click sends one request.
 */
export function ActionForm(props: {
  action: (state: FormState, formData: FormData) => Promise<FormState>;
  hidden: Record<string, string>;
  label: string;
  pendingLabel?: string;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
  input?: { name: string; label: string; hint?: string; placeholder?: string; required?: boolean };
  confirm?: string;
  children?: ReactNode;
  className?: string;
}) {
  const [state, formAction, pending] = useActionState(props.action, idleForm);
  // Unique on the page even when two forms act on one record with one field name (capture and refund amounts).
  const inputId = props.input ? `${props.input.name}-${props.label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Object.values(props.hidden).join('-')}` : '';
  const error = state.status === 'error' && props.input ? state.fields[props.input.name] : undefined;
  return (
    <form action={formAction} className={props.className ?? 'space-y-2'} noValidate>
      {Object.entries(props.hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.input ? (
        <FormField id={inputId} label={props.input.label} {...(props.input.hint ? { hint: props.input.hint } : {})} {...(error ? { error } : {})}>
          <Input id={inputId} name={props.input.name} autoComplete="off" placeholder={props.input.placeholder} maxLength={100} {...fieldAria(inputId, { hint: Boolean(props.input.hint), ...(error ? { error } : {}) })} />
        </FormField>
      ) : null}
      {props.confirm ? (
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" name="confirm" required className="h-4 w-4 rounded border-slate-300" />
          {props.confirm}
        </label>
      ) : null}
      {props.children}
      <Button type="submit" variant={props.variant ?? 'outline'} size={props.size ?? 'sm'} disabled={pending}>
        {pending ? (props.pendingLabel ?? 'Working…') : props.label}
      </Button>
      {state.status === 'ok' ? (
        <Alert variant="success">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
      {state.status === 'error' && !error ? (
        <Alert variant="error">
          <AlertDescription>{state.message}</AlertDescription>
        </Alert>
      ) : null}
    </form>
  );
}
