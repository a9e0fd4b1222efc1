import type { ReactNode } from 'react';

/**
 * A labelled form control with an optional hint and error. The control itself
 * gets its aria attributes from fieldAria(), so the label, hint and error are
 * all read out with it.
 */
export function FormField(props: { id: string; label: string; hint?: string; error?: string; children: ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={props.id} className="block text-sm font-medium text-slate-800">
        {props.label}
      </label>
      {props.children}
      {props.hint ? (
        <p id={`${props.id}-hint`} className="text-xs text-slate-500">
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p id={`${props.id}-error`} className="text-sm text-red-700">
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

export function fieldAria(id: string, state: { hint?: boolean; error?: string }) {
  const describedBy = [state.hint ? `${id}-hint` : null, state.error ? `${id}-error` : null].filter(Boolean).join(' ');
  return {
    'aria-invalid': state.error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  } as const;
}
