import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { isUuid } from '@/lib/validation';

const rangeNotFound = () => new AppError('not_found', 'BIN range not found.');

/**
 * Removes a row of the BIN-range table; cards it routed go to the next matching range or the fallback from
 * the next checkout on. Payments already routed keep their acquirer (their timeline names the range).
 */
export async function deleteBinRange(options: { actor: Actor; binRangeId: string; origin?: RequestOrigin | null }): Promise<{ acquirerName: string; brand: string; binFrom: string; binTo: string }> {
  if (options.actor.type !== 'OPERATOR' || !isUuid(options.binRangeId)) throw rangeNotFound();
  return db().$transaction(async (tx) => {
    const range = await tx.binRange.findUnique({ where: { id: options.binRangeId }, select: { id: true, brand: true, binFrom: true, binTo: true, acquirer: { select: { code: true, name: true } } } });
    if (!range) throw rangeNotFound();
    // deleteMany, not delete: a second click that lost the race finds nothing rather than failing with P2025.
    const deleted = await tx.binRange.deleteMany({ where: { id: range.id } });
    if (deleted.count !== 1) throw rangeNotFound();
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'acquirer.bin_range_deleted',
      targetType: 'BinRange',
      targetId: range.id,
      data: { acquirerCode: range.acquirer.code, brand: range.brand, binFrom: range.binFrom, binTo: range.binTo },
      origin: options.origin ?? null,
    });
    return { acquirerName: range.acquirer.name, brand: range.brand, binFrom: range.binFrom, binTo: range.binTo };
  });
}
