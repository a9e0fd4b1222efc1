import type { ReactNode } from 'react';
import { AppShell } from '@/components/console/app-shell';
import { requireOperator } from '@/lib/auth/current';

export default async function OperatorLayout({ children }: { children: ReactNode }) {
  const operator = await requireOperator();
  return (
    <AppShell
      area="Operator"
      homeHref="/operator"
      title="Operator console"
      userName={operator.name}
      signOutTo="/login?as=operator"
      nav={[
        { href: '/operator', label: 'Overview', exact: true },
        { href: '/operator/stores', label: 'Stores' },
        { href: '/operator/acquirers', label: 'Acquirers' },
        { href: '/operator/connections', label: 'Connection tests' },
        { href: '/operator/statistics', label: 'Statistics' },
        { href: '/operator/certificates', label: 'Certificate expiry' },
        { href: '/operator/notices', label: 'Notices' },
        { href: '/operator/audit', label: 'Audit log' },
      ]}
    >
      {children}
    </AppShell>
  );
}
