import { addBinRangeSchema } from '@/lib/acquirers/bin-range-schema';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { parseInput } from '@/lib/validation';

/**
 * Adds a row to the BIN-range table the checkout routes by (lib/checkout/route-acquirer.ts): cards of the
 * brand whose BIN lies in the range go to this acquirer, among the acquirers a store's POS can use. Only the
 * operator keeps the table. Ranges may overlap (the narrowest wins); the same range twice is refused.
 */
export async function addBinRange(options: { actor: Actor; input: unknown; origin?: RequestOrigin | null }): Promise<{ id: string; acquirerName: string; brand: string; binFrom: string; binTo: string }> {
  if (options.actor.type !== 'OPERATOR') throw new AppError('not_found', 'Acquirer not found.');
  const input = parseInput(addBinRangeSchema, options.input);
  return db().$transaction(async (tx) => {
    // Locks the acquirer row, so two identical ranges added at once cannot both pass the duplicate check.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT "id"::text FROM "Acquirer" WHERE "id" = ${input.acquirerId}::uuid FOR UPDATE`;
    if (!locked) throw new AppError('not_found', 'Acquirer not found.');
    const acquirer = await tx.acquirer.findUniqueOrThrow({ where: { id: input.acquirerId }, select: { id: true, code: true, name: true, brands: true } });
    if (!acquirer.brands.includes(input.brand)) {
      const message = `${acquirer.name} does not take ${input.brand}; choose one of ${acquirer.brands.join(', ')}.`;
      throw new AppError('validation_failed', message, [{ path: 'brand', message }]);
    }
    const duplicate = await tx.binRange.findFirst({ where: { acquirerId: acquirer.id, brand: input.brand, binFrom: input.binFrom, binTo: input.binTo }, select: { id: true } });
    if (duplicate) throw new AppError('conflict', `${acquirer.name} already has this ${input.brand} range.`);
    const range = await tx.binRange.create({ data: { acquirerId: acquirer.id, brand: input.brand, binFrom: input.binFrom, binTo: input.binTo }, select: { id: true } });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'acquirer.bin_range_added',
      targetType: 'BinRange',
      targetId: range.id,
      data: { acquirerCode: acquirer.code, brand: input.brand, binFrom: input.binFrom, binTo: input.binTo },
      origin: options.origin ?? null,
    });
    return { id: range.id, acquirerName: acquirer.name, brand: input.brand, binFrom: input.binFrom, binTo: input.binTo };
  });
}
