import Link from 'next/link';
import { daysUntil, formatDate } from '@/components/format';
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert';

export interface CertificateExpirySummary {
  alertDays: number;
  count: number;
  soonest: { id: string; usage: 'SIGNATURE' | 'KEY_EXCHANGE'; notAfter: Date; posAcquirer: { pos: { name: string }; acquirer: { name: string } } }[];
}

function whenText(notAfter: Date, now: Date): string {
  const days = daysUntil(notAfter, now);
  if (notAfter.getTime() <= now.getTime()) return `expired on ${formatDate(notAfter)}`;
  return `on ${formatDate(notAfter)} (${days <= 1 ? 'within a day' : `in ${days} days`})`;
}

/** Shown on every console page of a store while certificates are close to their end, so it is seen at sign-in. */
export function CertificateExpiryBanner({ summary, certificatesHref, now = new Date() }: { summary: CertificateExpirySummary; certificatesHref: string; now?: Date }) {
  const first = summary.soonest[0];
  if (summary.count === 0 || !first) return null;
  const plural = summary.count !== 1;
  return (
    <Alert variant="warning" data-testid="expiry-banner" className="mb-6">
      <AlertTitle>
        {summary.count} certificate{plural ? 's' : ''} {plural ? 'expire' : 'expires'} within {summary.alertDays} days
      </AlertTitle>
      <AlertDescription>
        <p>
          Soonest: {first.posAcquirer.pos.name} · {first.posAcquirer.acquirer.name} ({first.usage === 'SIGNATURE' ? 'signature' : 'key exchange'}), {whenText(first.notAfter, now)}.
          A POS cannot take payments through an acquirer once its certificate has expired.
        </p>
        <p className="mt-1">
          <Link href={certificatesHref} className="font-medium underline underline-offset-2">
            Review and renew certificates
          </Link>
        </p>
      </AlertDescription>
    </Alert>
  );
}
