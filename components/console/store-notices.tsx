import { ExternalLink } from 'lucide-react';
import { ActionForm } from '@/components/console/action-form';
import { formatDate } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import type { FormState } from '@/lib/http/form-state-shared';
import type { StoreNotice } from '@/lib/notices/list-notices-for-store';
import { cn } from '@/lib/utils/cn';

/** How each kind looks: an alert stands out, an advertisement says it is one, an information panel is a link to a service. */
export const noticeKindStyles: Record<StoreNotice['kind'], { label: string; badge: 'neutral' | 'danger' | 'warning' | 'info'; box: string }> = {
  NOTICE: { label: 'Notice', badge: 'neutral', box: 'border-slate-200 bg-white' },
  ALERT: { label: 'Alert', badge: 'danger', box: 'border-red-200 bg-red-50' },
  ADVERTISEMENT: { label: 'Advertisement', badge: 'warning', box: 'border-amber-200 bg-amber-50/60' },
  INFORMATION: { label: 'Information', badge: 'info', box: 'border-brand-100 bg-brand-50' },
};

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * The live notices of a store, each with a Dismiss button. Title and body are rendered as text (React
 * escapes them; line breaks are kept by CSS), never as HTML; links open in a new tab without handing the
 * console to the page they open (`noopener noreferrer`).
 */
export function StoreNotices(props: { storeId: string; notices: StoreNotice[]; dismissAction: (state: FormState, formData: FormData) => Promise<FormState> }) {
  if (props.notices.length === 0) return null;
  return (
    <section aria-label="Notices" className="space-y-3" data-testid="store-notices">
      {props.notices.map((notice) => {
        const style = noticeKindStyles[notice.kind];
        return (
          <article key={notice.id} aria-labelledby={`notice-${notice.id}`} data-testid="store-notice" data-kind={notice.kind} className={cn('flex flex-wrap items-start justify-between gap-4 rounded-lg border px-4 py-3', style.box)}>
            <div className="min-w-0 flex-1 space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                <Badge variant={style.badge}>{style.label}</Badge>
                <h2 id={`notice-${notice.id}`} className="font-semibold text-slate-900">
                  {notice.title}
                </h2>
              </div>
              <p className="whitespace-pre-line text-sm text-slate-700">{notice.body}</p>
              {notice.linkUrl ? (
                <p className="text-sm">
                  <a href={notice.linkUrl} target="_blank" rel="noopener noreferrer" className="inline-flex items-center gap-1 font-medium text-brand-600 hover:underline">
                    {notice.kind === 'INFORMATION' ? 'Open' : 'More at'} {hostOf(notice.linkUrl)}
                    <ExternalLink className="size-3.5" aria-hidden />
                    <span className="sr-only">(opens in a new tab)</span>
                  </a>
                </p>
              ) : null}
              <p className="text-xs text-slate-500">{formatDate(notice.publishedAt)}</p>
            </div>
            <ActionForm action={props.dismissAction} hidden={{ storeId: props.storeId, noticeId: notice.id }} label="Dismiss" pendingLabel="Dismissing…" variant="ghost" className="shrink-0" />
          </article>
        );
      })}
    </section>
  );
}
