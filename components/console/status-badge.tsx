import { Badge } from '@/components/ui/badge';

type Variant = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

const variants: Record<string, Variant> = {
  ACTIVE: 'success',
  VERIFIED: 'success',
  REGISTERED: 'success',
  DELIVERED: 'success',
  AUTHORIZED: 'success',
  CAPTURED: 'success',
  ANSWERED: 'success',
  SENT: 'info',
  PENDING: 'warning',
  APPLIED: 'info',
  DISPATCHED: 'info',
  SUSPENDED: 'danger',
  REJECTED: 'danger',
  REVOKED: 'danger',
  EXPIRED: 'danger',
  DECLINED: 'danger',
  FAILED: 'danger',
  WITHDRAWN: 'neutral',
  WITHDRAWING: 'neutral',
  DISABLED: 'neutral',
};

/** A status enum value as a coloured badge with readable text. */
export function StatusBadge({ status }: { status: string }) {
  const label = status.charAt(0) + status.slice(1).toLowerCase().replaceAll('_', ' ');
  return <Badge variant={variants[status] ?? 'neutral'}>{label}</Badge>;
}
