import { z } from 'zod';
import type { NoticeKind } from '@/lib/db/generated/prisma/enums';
import { httpUrlProblem } from '@/lib/validation';

/** The kinds of notice, in the order the operator's form offers them. */
export const noticeKinds = ['NOTICE', 'ADVERTISEMENT', 'ALERT', 'INFORMATION'] as const satisfies readonly NoticeKind[];

/** At most this many acquirers per notice: more than any deployment has, and a bound on the array column. */
export const MAX_NOTICE_ACQUIRERS = 50;

const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z?$/;

/**
 * A date and time written as UTC: `YYYY-MM-DDTHH:mm` (what a datetime-local input sends, read as UTC, the
 * zone the consoles show), optionally with seconds and a trailing Z. Null for anything else, including
 * dates that do not exist (a 30th of February is not rolled over into March).
 */
export function parseUtcDateTime(value: string): Date | null {
  if (!UTC_DATE_TIME.test(value)) return null;
  const date = new Date(value.endsWith('Z') ? value : `${value}Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 16) !== value.slice(0, 16)) return null;
  return date;
}

const optionalUtcDateTime = (label: string) =>
  z
    .string({ error: `Enter the ${label} as YYYY-MM-DD HH:MM (UTC), or leave it empty.` })
    .trim()
    .optional()
    .transform((value, context) => {
      if (!value) return null;
      const date = parseUtcDateTime(value);
      if (!date) context.addIssue({ code: 'custom', message: `Enter the ${label} as a real date and time, YYYY-MM-DD HH:MM (UTC), or leave it empty.` });
      return date;
    });

/**
 * A notice as the operator's form sends it (every value text, the ticked acquirers as a list) and
 * `publishNotice` reads it. The body is plain text (shown as text, never as HTML). The target is every
 * store, or the stores of the ticked acquirers; whether those acquirers exist, and how the schedule
 * compares with the present, are checked against the database and the clock by `publishNotice`.
 */
export const publishNoticeSchema = z
  .object({
    kind: z.enum(noticeKinds, { error: 'Choose what kind of notice this is.' }),
    title: z.string({ error: 'Enter a title.' }).trim().min(1, 'Enter a title.').max(200, 'Use at most 200 characters for the title.'),
    body: z
      .string({ error: 'Enter the text of the notice.' })
      .transform((value) => value.replace(/\r\n?/g, '\n').trim())
      .pipe(z.string().min(1, 'Enter the text of the notice.').max(5000, 'Use at most 5000 characters for the text.')),
    linkUrl: z
      .string({ error: 'Enter the link as an absolute http(s) URL, or leave it empty.' })
      .trim()
      .max(500, 'Use a link of at most 500 characters.')
      .optional()
      .transform((value, context) => {
        if (!value) return null;
        const problem = httpUrlProblem(value);
        if (problem) context.addIssue({ code: 'custom', message: problem });
        return value;
      }),
    target: z.enum(['all', 'acquirers'], { error: 'Choose who sees the notice: all stores, or the stores of some acquirers.' }),
    acquirerIds: z
      .array(z.uuid({ error: 'Choose the acquirers from the list.' }), { error: 'Choose the acquirers from the list.' })
      .max(MAX_NOTICE_ACQUIRERS, `Choose at most ${MAX_NOTICE_ACQUIRERS} acquirers.`)
      .optional()
      .transform((ids) => [...new Set((ids ?? []).map((id) => id.toLowerCase()))].sort()),
    publishedAt: optionalUtcDateTime('start'),
    expiresAt: optionalUtcDateTime('end'),
  })
  .superRefine((notice, context) => {
    if (notice.target === 'acquirers' && notice.acquirerIds.length === 0) {
      context.addIssue({ code: 'custom', path: ['acquirerIds'], message: 'Tick at least one acquirer, or show the notice to all stores.' });
    }
    if (notice.kind === 'INFORMATION' && notice.linkUrl === null) {
      context.addIssue({ code: 'custom', path: ['linkUrl'], message: 'An information panel needs the link to its service.' });
    }
    if (notice.publishedAt && notice.expiresAt && notice.expiresAt.getTime() <= notice.publishedAt.getTime()) {
      context.addIssue({ code: 'custom', path: ['expiresAt'], message: 'The end must come after the start.' });
    }
  })
  // "All stores" ignores any ticked acquirers, so what is stored is what the operator chose.
  .transform((notice) => ({ ...notice, acquirerIds: notice.target === 'all' ? [] : notice.acquirerIds }));

export type PublishNoticeInput = z.infer<typeof publishNoticeSchema>;
