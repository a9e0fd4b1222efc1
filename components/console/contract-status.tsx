import { StatusBadge } from '@/components/console/status-badge';

const notes: Partial<Record<string, string>> = {
  APPLIED: 'Waiting for the acquirer to verify your details.',
  WITHDRAWING: 'Waiting for the acquirer to confirm the withdrawal.',
};

/** A contract's status as a badge, with what it means for the store: the rejection reason, or what it is waiting for. */
export function ContractStatus({ status, rejectionReason }: { status: string; rejectionReason: string | null }) {
  const note = status === 'REJECTED' ? rejectionReason : notes[status];
  return (
    <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
      <StatusBadge status={status} />
      {note ? <span className="text-xs text-slate-600">{note}</span> : null}
    </span>
  );
}
