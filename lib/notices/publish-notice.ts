import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import type { NoticeKind } from '@/lib/db/generated/prisma/enums';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { publishNoticeSchema } from '@/lib/notices/notice-schema';
import { parseInput } from '@/lib/validation';

function fieldError(path: string, message: string): AppError {
  return new AppError('validation_failed', message, [{ path, message }]);
}

/**
 * The operator publishes a notice to every store, or to the stores of some acquirers (those holding a
 * verified contract, or one being withdrawn, with one of them), shown in the store console from its start
 * (default now) until its end (none by default) or its withdrawal. An information panel is a notice whose
 * link leads to a third party's service. Unknown acquirers, and an end already past, are validation errors
 * on their fields; nothing is written then. Audited as `notice.published` in the same transaction.
 */
export async function publishNotice(options: { actor: Actor; input: unknown; origin?: RequestOrigin | null; now?: Date }): Promise<{ id: string; kind: NoticeKind; title: string; publishedAt: Date; expiresAt: Date | null; acquirerNames: string[] }> {
  if (options.actor.type !== 'OPERATOR') throw new AppError('not_found', 'Not found.');
  const input = parseInput(publishNoticeSchema, options.input);
  const now = options.now ?? new Date();
  const publishedAt = input.publishedAt ?? now;
  if (input.expiresAt && input.expiresAt.getTime() <= publishedAt.getTime()) throw fieldError('expiresAt', 'The end must come after the start.');
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw fieldError('expiresAt', 'The end has already passed: no store would see the notice.');
  return db().$transaction(async (tx) => {
    const acquirers = input.acquirerIds.length === 0 ? [] : await tx.acquirer.findMany({ where: { id: { in: input.acquirerIds } }, orderBy: { name: 'asc' }, select: { id: true, code: true, name: true } });
    if (acquirers.length !== input.acquirerIds.length) throw fieldError('acquirerIds', 'An acquirer you ticked does not exist (any more); reload the page and choose again.');
    const notice = await tx.notice.create({
      data: {
        kind: input.kind,
        title: input.title,
        body: input.body,
        linkUrl: input.linkUrl,
        acquirerIds: input.acquirerIds,
        publishedAt,
        expiresAt: input.expiresAt,
        createdByOperatorId: options.actor.id,
      },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'notice.published',
      targetType: 'Notice',
      targetId: notice.id,
      data: {
        kind: input.kind,
        target: input.acquirerIds.length === 0 ? 'all' : 'acquirers',
        acquirerCodes: acquirers.map((acquirer) => acquirer.code),
        publishedAt: publishedAt.toISOString(),
        ...(input.expiresAt ? { expiresAt: input.expiresAt.toISOString() } : {}),
      },
      origin: options.origin ?? null,
    });
    return { id: notice.id, kind: input.kind, title: input.title, publishedAt, expiresAt: input.expiresAt, acquirerNames: acquirers.map((acquirer) => acquirer.name) };
  });
}
