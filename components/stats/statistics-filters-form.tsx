import Link from 'next/link';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { StatisticsFilterOptions } from '@/lib/stats/get-statistics-filter-options';

type Field = 'acquirer' | 'brand' | 'store' | 'currency' | 'pos';

/**
 * The statistics filters as a GET form: the choices become query parameters, so a filtered dashboard is a
 * bookmarkable URL, and "Export CSV" carries the same parameters.
 */
export function StatisticsFiltersForm(props: {
  action: string;
  fields: readonly Field[];
  values: Record<string, string | undefined>;
  options: StatisticsFilterOptions;
  currencies?: readonly string[];
}) {
  const { values, options } = props;
  const label = 'flex flex-col gap-1 text-sm font-medium text-slate-700';
  return (
    <form method="get" action={props.action} aria-label="Statistics filters" className="flex flex-wrap items-end gap-3">
      <label className={label}>
        From
        <Input type="date" name="from" defaultValue={values.from ?? ''} />
      </label>
      <label className={label}>
        To
        <Input type="date" name="to" defaultValue={values.to ?? ''} />
      </label>
      {props.fields.includes('pos') ? (
        <label className={label}>
          POS
          <Select name="posId" defaultValue={values.posId ?? ''}>
            <option value="">Every POS</option>
            {options.poses.map((pos) => (
              <option key={pos.id} value={pos.id}>
                {pos.name}
              </option>
            ))}
          </Select>
        </label>
      ) : null}
      {props.fields.includes('acquirer') ? (
        <label className={label}>
          Acquirer
          <Select name="acquirerId" defaultValue={values.acquirerId ?? ''}>
            <option value="">Every acquirer</option>
            {options.acquirers.map((acquirer) => (
              <option key={acquirer.id} value={acquirer.id}>
                {acquirer.name} ({acquirer.code})
              </option>
            ))}
          </Select>
        </label>
      ) : null}
      {props.fields.includes('brand') ? (
        <label className={label}>
          Brand
          <Select name="brand" defaultValue={values.brand ?? ''}>
            <option value="">Every brand</option>
            {options.brands.map((brand) => (
              <option key={brand} value={brand}>
                {brand}
              </option>
            ))}
          </Select>
        </label>
      ) : null}
      {props.fields.includes('currency') ? (
        <label className={label}>
          Currency
          <Select name="currency" defaultValue={values.currency ?? ''}>
            <option value="">Every currency</option>
            {(props.currencies ?? []).map((currency) => (
              <option key={currency} value={currency}>
                {currency}
              </option>
            ))}
          </Select>
        </label>
      ) : null}
      {props.fields.includes('store') ? (
        <label className={label}>
          Store id
          <Input name="storeId" defaultValue={values.storeId ?? ''} placeholder="Every store" className="w-80 font-mono" maxLength={36} />
        </label>
      ) : null}
      <Button type="submit">Show</Button>
      <Button asChild variant="ghost">
        <Link href={props.action}>Last 30 days, no filter</Link>
      </Button>
    </form>
  );
}
