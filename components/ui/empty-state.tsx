import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';

/** What a list shows when it has nothing yet: what belongs here and how it gets here. */
export function EmptyState(props: { icon: LucideIcon; title: string; description: string; action?: ReactNode }) {
  const Icon = props.icon;
  return (
    <div className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center" data-testid="empty-state">
      <Icon className="size-8 text-slate-400" aria-hidden />
      <h3 className="mt-3 font-semibold text-slate-900">{props.title}</h3>
      <p className="mt-1 max-w-md text-sm text-slate-600">{props.description}</p>
      {props.action ? <div className="mt-4">{props.action}</div> : null}
    </div>
  );
}
