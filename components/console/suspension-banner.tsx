import Link from 'next/link';
import { formatDateTime } from '@/components/format';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';

export interface SuspensionSummary {
  suspendedAt: Date | null;
  reason: string;
  suspendedByLabel: string;
  canResumeInConsole: boolean;
}

/** Shown on every console page of a suspended store: processing has stopped, who stopped it and why. */
export function SuspensionBanner({ suspension, securityHref }: { suspension: SuspensionSummary | null; securityHref: string }) {
  if (!suspension) return null;
  return (
    <Alert variant="error" data-testid="suspension-banner" className="mb-6">
      <AlertTitle>Processing is suspended</AlertTitle>
      <AlertDescription>
        <p>
          Suspended by {suspension.suspendedByLabel}
          {suspension.suspendedAt ? ` on ${formatDateTime(suspension.suspendedAt)}` : ''}. No payment is authorised through any acquirer.
        </p>
        <p className="mt-1 whitespace-pre-line">Reason: {suspension.reason}</p>
        <p className="mt-1">
          {suspension.canResumeInConsole ? (
            <Link href={securityHref} className="font-medium underline underline-offset-2">
              How to resume processing
            </Link>
          ) : (
            <>Only {suspension.suspendedByLabel} can lift this suspension.</>
          )}
        </p>
      </AlertDescription>
    </Alert>
  );
}
