import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';

const statuses = ['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'DECLINED', 'FAILED', 'UNKNOWN', 'AUTHORIZING', 'PENDING'] as const;

const label = (status: string) => status.charAt(0) + status.slice(1).toLowerCase().replaceAll('_', ' ');

/**
 * The payments list's filters as a plain GET form: the filtered list has a URL of its own (bookmarkable,
 * shareable), and works without JavaScript. The values are the query's, as typed, so a refused value
 * stays in its field to be corrected.
 */
export function PaymentFiltersForm(props: {
  action: string;
  values: Record<string, string>;
  options: { poses: { id: string; name: string }[]; acquirers: { id: string; name: string }[]; brands: string[] };
  filtered: boolean;
}) {
  const { values, options } = props;
  const field = 'flex flex-col gap-1 text-sm font-medium text-slate-700';
  return (
    <form method="get" action={props.action} role="search" aria-label="Filter payments" className="flex flex-wrap items-end gap-3">
      <label className={field}>
        POS
        <Select name="posId" defaultValue={values.posId ?? ''}>
          <option value="">All POSes</option>
          {options.poses.map((pos) => (
            <option key={pos.id} value={pos.id}>
              {pos.name}
            </option>
          ))}
        </Select>
      </label>
      <label className={field}>
        Status
        <Select name="status" defaultValue={values.status ?? ''}>
          <option value="">All statuses</option>
          {statuses.map((status) => (
            <option key={status} value={status}>
              {label(status)}
            </option>
          ))}
        </Select>
      </label>
      <label className={field}>
        Brand
        <Select name="brand" defaultValue={values.brand ?? ''}>
          <option value="">All brands</option>
          {options.brands.map((brand) => (
            <option key={brand} value={brand}>
              {brand}
            </option>
          ))}
        </Select>
      </label>
      <label className={field}>
        Acquirer
        <Select name="acquirerId" defaultValue={values.acquirerId ?? ''}>
          <option value="">All acquirers</option>
          {options.acquirers.map((acquirer) => (
            <option key={acquirer.id} value={acquirer.id}>
              {acquirer.name}
            </option>
          ))}
        </Select>
      </label>
      <label className={field}>
        From
        <Input type="date" name="from" defaultValue={values.from ?? ''} />
      </label>
      <label className={field}>
        To
        <Input type="date" name="to" defaultValue={values.to ?? ''} />
      </label>
      <label className={field}>
        Order reference
        <Input type="search" name="shopOrderRef" defaultValue={values.shopOrderRef ?? ''} maxLength={64} autoComplete="off" className="w-48" />
      </label>
      <Button type="submit">Filter</Button>
      {props.filtered ? (
        <Button asChild variant="ghost">
          <Link href={props.action}>Clear filters</Link>
        </Button>
      ) : null}
    </form>
  );
}
