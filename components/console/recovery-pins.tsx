import { KeyRound } from 'lucide-react';
import { formatDateTime } from '@/components/format';
import { RecoveryPinForm } from '@/components/console/recovery-pin-form';
import { StatusBadge } from '@/components/console/status-badge';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import type { FormState } from '@/lib/http/form-state-shared';

export interface RecoveryPinRow {
  contractId: string;
  acquirerName: string;
  merchantNumber: string;
  status: string;
  hasPin: boolean;
  lockedUntil: Date | null;
}

/** One section per contract: which acquirer, its merchant number, whether a PIN is set, and the form to set or change it. */
export function RecoveryPins(props: { storeId: string; contracts: RecoveryPinRow[]; action: (state: FormState, formData: FormData) => Promise<FormState> }) {
  const contracts = props.contracts.filter((contract) => contract.status !== 'REJECTED');
  if (contracts.length === 0) return <EmptyState icon={KeyRound} title="No contracts yet" description="A recovery PIN belongs to a contract with an acquirer; apply to one first." />;
  return (
    <ul className="divide-y divide-slate-200">
      {contracts.map((contract) => (
        <li key={contract.contractId} className="py-4 first:pt-0 last:pb-0">
          <section aria-labelledby={`pin-${contract.contractId}-title`} data-testid="recovery-pin" data-merchant-number={contract.merchantNumber} className="space-y-3">
            <div className="flex flex-wrap items-center gap-2">
              <h3 id={`pin-${contract.contractId}-title`} className="font-medium text-slate-900">
                {contract.acquirerName}
              </h3>
              <span className="text-sm text-slate-600">Merchant number {contract.merchantNumber}</span>
              <StatusBadge status={contract.status} />
              {contract.hasPin ? <Badge variant="success">PIN set</Badge> : <Badge variant="warning">No PIN</Badge>}
              {contract.lockedUntil ? <Badge variant="danger">Locked after wrong PINs until {formatDateTime(contract.lockedUntil)}</Badge> : null}
            </div>
            <RecoveryPinForm storeId={props.storeId} contractId={contract.contractId} hasPin={contract.hasPin} action={props.action} />
          </section>
        </li>
      ))}
    </ul>
  );
}
