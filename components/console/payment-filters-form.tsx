import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';

const statuses = ['AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'DECLINED', 'FAILED', 'UNKNOWN', 'AUTHORIZING', 'PENDING'] as const;

const field = 'flex flex-col gap-1 text-sm font-medium text-slate-700';

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
  return (
    <form method="get" action={props.action} role="search" aria-label="Filter payments" className="flex flex-wrap items-end gap-3">
      <ChoiceFilter label="POS" name="posId" all="All POSes" value={values.posId} choices={options.poses.map((pos) => ({ value: pos.id, label: pos.name }))} />
      <ChoiceFilter label="Status" name="status" all="All statuses" value={values.status} choices={statuses.map((status) => ({ value: status, label: label(status) }))} />
      <ChoiceFilter label="Brand" name="brand" all="All brands" value={values.brand} choices={options.brands.map((brand) => ({ value: brand, label: brand }))} />
      <ChoiceFilter label="Acquirer" name="acquirerId" all="All acquirers" value={values.acquirerId} choices={options.acquirers.map((acquirer) => ({ value: acquirer.id, label: acquirer.name }))} />
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

/** One filter chosen from a list, with a first choice that does not filter. */
function ChoiceFilter(props: { label: string; name: string; all: string; value: string | undefined; choices: { value: string; label: string }[] }) {
  return (
    <label className={field}>
      {props.label}
      <Select name={props.name} defaultValue={props.value ?? ''}>
        <option value="">{props.all}</option>
        {props.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </Select>
    </label>
  );
}
