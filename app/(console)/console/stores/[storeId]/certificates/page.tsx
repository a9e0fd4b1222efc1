import type { Metadata } from 'next';
import { ShieldCheck } from 'lucide-react';
import { StatusBadge } from '@/components/console/status-badge';
import { daysUntil, formatDate } from '@/components/format';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { requireStoreUser } from '@/lib/auth/current';
import { listCertificates } from '@/lib/certificates/list-certificates';

export const metadata: Metadata = { title: 'Certificates' };

export default async function CertificatesPage({ params }: { params: Promise<{ storeId: string }> }) {
  const { storeId } = await params;
  await requireStoreUser(storeId);
  const certificates = await listCertificates(storeId);
  return (
    <div className="space-y-6">
      <PageHeader title="Certificates" description="The signature and key-exchange certificates of every POS, per acquirer." />
      {certificates.length === 0 ? (
        <EmptyState
          icon={ShieldCheck}
          title="No certificates yet"
          description="Certificates are issued when a POS registers with an acquirer using its one-time certificate acquisition number."
        />
      ) : (
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>POS</TableHead>
              <TableHead>Acquirer</TableHead>
              <TableHead>Usage</TableHead>
              <TableHead>Serial</TableHead>
              <TableHead>Valid until</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {certificates.map((certificate) => (
              <TableRow key={certificate.id}>
                <TableCell className="font-medium">{certificate.posAcquirer.pos.name}</TableCell>
                <TableCell>{certificate.posAcquirer.acquirer.name}</TableCell>
                <TableCell>{certificate.usage === 'SIGNATURE' ? 'Signature' : 'Key exchange'}</TableCell>
                <TableCell className="font-mono text-xs">{certificate.serialNumber}</TableCell>
                <TableCell>
                  {formatDate(certificate.notAfter)} <span className="text-xs text-slate-500">({daysUntil(certificate.notAfter)} days)</span>
                </TableCell>
                <TableCell>
                  <StatusBadge status={certificate.status} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </div>
  );
}
