/**
 * How to read a period of UTC days from the monthly rollup and the daily one with the fewest daily rows: the
 * months the period covers whole come from the monthly rows; a month it covers in part either adds its
 * covered days from the daily rows, or, when it covers most of the month, takes the month's row and takes
 * away the days it leaves out. A year then costs 12 or 13 monthly rows and at most about half a month of
 * daily rows at each end, per store; the current month up to today is its monthly row less the days to come.
 */
export interface PeriodSegments {
  /** First days of the months to read whole (monthly rows added). */
  months: Date[];
  /** Day ranges, both ends included, whose daily rows are added. */
  addDays: [Date, Date][];
  /** Day ranges, both ends included, whose daily rows are taken away (days of the `months` outside the period). */
  subtractDays: [Date, Date][];
}

const DAY_MS = 86_400_000;
const daysBetween = (first: Date, last: Date) => Math.round((last.getTime() - first.getTime()) / DAY_MS) + 1;

/** The segments of the period from `start` to `end` (midnights UTC, both included). */
export function periodSegments(start: Date, end: Date): PeriodSegments {
  const segments: PeriodSegments = { months: [], addDays: [], subtractDays: [] };
  for (let month = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)); month <= end; month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))) {
    const monthEnd = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 0));
    const first = start > month ? start : month;
    const last = end < monthEnd ? end : monthEnd;
    const covered = daysBetween(first, last);
    const length = daysBetween(month, monthEnd);
    if (covered === length) {
      segments.months.push(month);
    } else if (covered <= length - covered) {
      segments.addDays.push([first, last]);
    } else {
      segments.months.push(month);
      if (first > month) segments.subtractDays.push([month, new Date(first.getTime() - DAY_MS)]);
      if (last < monthEnd) segments.subtractDays.push([new Date(last.getTime() + DAY_MS), monthEnd]);
    }
  }
  return segments;
}
