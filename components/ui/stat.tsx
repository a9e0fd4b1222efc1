import type { ReactNode } from 'react';

/** One figure with its label, for overview pages. */
export function Stat(props: { label: string; value: ReactNode; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{props.label}</p>
      <div className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{props.value}</div>
      {props.hint ? <p className="mt-1 text-xs text-slate-500">{props.hint}</p> : null}
    </div>
  );
}
