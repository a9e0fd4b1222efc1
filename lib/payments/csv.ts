/**
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field quoted when it holds a comma, a
 * quote or a line break, quotes doubled inside), made safe to open in a spreadsheet: a text value that
 * starts with = + - @ (or a tab or carriage return) would be run as a formula there, so it is prefixed
 * with an apostrophe, as OWASP advises against CSV injection. Shop order references, POS names and
 * acquirers' codes reach these files, and none of them is ours to trust.
 */
export type CsvValue = string | number | bigint | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
