import type { ReactNode } from 'react';
import { AppShell } from '@/components/console/app-shell';
import { CertificateExpiryBanner } from '@/components/console/certificate-expiry-banner';
import { NoticeBanner } from '@/components/console/notice-banner';
import { StatusBadge } from '@/components/console/status-badge';
import { SuspensionBanner } from '@/components/console/suspension-banner';
import { requireStoreUser } from '@/lib/auth/current';
import { listNoticesForStore } from '@/lib/notices/list-notices-for-store';
import { getCertificateExpirySummary, getStoreHeader } from '@/lib/stores/get-store-overview';
import { getStoreSuspension } from '@/lib/stores/get-store-suspension';

export default async function StoreConsoleLayout({ children, params }: { children: ReactNode; params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  const user = await requireStoreUser(storeId);
  const [store, expiry, suspension, notices] = await Promise.all([getStoreHeader(storeId), getCertificateExpirySummary(storeId), getStoreSuspension(storeId), listNoticesForStore({ storeId })]);
  const base = `/console/stores/${storeId}`;
  return (
    <AppShell
      area="Store"
      homeHref={base}
      title={
        <span className="inline-flex items-center gap-2">
          <span className="font-medium text-slate-900" data-testid="store-name">
            {store.name}
          </span>
          <StatusBadge status={store.status} />
        </span>
      }
      userName={user.name}
      signOutTo="/login"
      nav={[
        { href: base, label: 'Overview', exact: true },
        { href: `${base}/contracts`, label: 'Acquirers' },
        { href: `${base}/poses`, label: 'POSes' },
        { href: `${base}/certificates`, label: 'Certificates' },
        { href: `${base}/payments`, label: 'Payments' },
        { href: `${base}/settlements`, label: 'Settlements' },
        { href: `${base}/statistics`, label: 'Statistics' },
        { href: `${base}/webhooks`, label: 'Webhooks' },
        { href: `${base}/affiliates`, label: 'Affiliates' },
        { href: `${base}/settings`, label: 'Store settings' },
        { href: `${base}/security`, label: 'Security' },
        { href: `${base}/audit`, label: 'Audit log' },
        { href: `${base}/withdrawal`, label: 'Withdrawal' },
      ]}
    >
      <SuspensionBanner suspension={suspension} securityHref={`${base}/security`} />
      <CertificateExpiryBanner summary={expiry} certificatesHref={`${base}/certificates`} />
      <NoticeBanner overviewHref={base} notices={notices.map(({ id, kind, title }) => ({ id, kind, title }))} />
      {children}
    </AppShell>
  );
}
