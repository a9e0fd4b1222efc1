/** Row indices a form may use; a larger one is left as a plain field, which no schema reads. */
const MAX_ROW_INDEX = 99;

const rowField = /^([A-Za-z][A-Za-z0-9]*)\.(\d{1,2})\.([A-Za-z][A-Za-z0-9]*)$/;

/**
 * Turns a form's repeated rows, named `list.<index>.<field>`, into
 * `{ list: [{ field }] }` for a shared zod schema; other fields pass through.
 * The names are exactly the paths parseInput reports for issues inside a list,
 * so each error comes back to the input it is about. A gap in the indices
 * stays a gap (undefined), which the schema then refuses, rather than a
 * silent renumbering that would put errors on the wrong row.
 */
export function nestFormFields(fields: Record<string, string>): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  const lists = new Map<string, Record<string, string>[]>();
  for (const [key, value] of Object.entries(fields)) {
    const match = rowField.exec(key);
    const index = match ? Number(match[2]) : NaN;
    if (!match || index > MAX_ROW_INDEX) {
      nested[key] = value;
      continue;
    }
    const [, list, , field] = match as unknown as [string, string, string, string];
    const rows = lists.get(list) ?? [];
    lists.set(list, rows);
    (rows[index] ??= {})[field] = value;
  }
  for (const [list, rows] of lists) nested[list] = Array.from(rows);
  return nested;
}
