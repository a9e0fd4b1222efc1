'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { Alert, AlertDescription } from '@/components/ui/alert';

/**
 * A one-line reminder on every store page but the overview (which shows the notices themselves) while the
 * store has live notices it has not dismissed. Titles only, as text.
 */
export function NoticeBanner(props: { overviewHref: string; notices: { id: string; kind: string; title: string }[] }) {
  const pathname = usePathname();
  if (props.notices.length === 0 || pathname === props.overviewHref) return null;
  const count = props.notices.length;
  const alert = props.notices.some((notice) => notice.kind === 'ALERT');
  return (
    <Alert variant={alert ? 'warning' : 'info'} data-testid="notice-banner" className="mb-6">
      <AlertDescription>
        {count === 1 ? 'A notice' : `${count} notices`} for your store: <span className="font-medium">{props.notices.slice(0, 3).map((notice) => notice.title).join(' · ')}</span>
        {count > 3 ? ` and ${count - 3} more` : ''}.{' '}
        <Link href={props.overviewHref} className="font-medium underline underline-offset-2">
          Read {count === 1 ? 'it' : 'them'} on the Overview
        </Link>
      </AlertDescription>
    </Alert>
  );
}
