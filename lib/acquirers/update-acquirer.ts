import { updateAcquirerSchema } from '@/lib/acquirers/acquirer-schema';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { isUuid, parseInput } from '@/lib/validation';

const notFound = () => new AppError('not_found', 'Acquirer not found.');

/**
 * Changes an acquirer's name, URLs, brands or status. A DISABLED acquirer takes no new application, payment
 * or store-information push until it is ACTIVE again; its contracts and certificates stay. A brand that still
 * has BIN ranges cannot be dropped (the ranges would route cards to an acquirer that no longer takes them).
 * The audit event lists the fields that changed; saving without a change records nothing.
 */
export async function updateAcquirer(options: { actor: Actor; acquirerId: string; input: unknown; origin?: RequestOrigin | null }): Promise<{ id: string; name: string; changedFields: string[] }> {
  if (options.actor.type !== 'OPERATOR' || !isUuid(options.acquirerId)) throw notFound();
  const input = parseInput(updateAcquirerSchema, options.input);
  return db().$transaction(async (tx) => {
    // Locks the row, so a BIN range added meanwhile (which locks it too) cannot slip past the brand check.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT "id"::text FROM "Acquirer" WHERE "id" = ${options.acquirerId}::uuid FOR UPDATE`;
    if (!locked) throw notFound();
    const before = await tx.acquirer.findUniqueOrThrow({
      where: { id: options.acquirerId },
      select: { id: true, code: true, name: true, gatewayUrl: true, registryUrl: true, brands: true, status: true },
    });
    const kept: readonly string[] = input.brands;
    const dropped = before.brands.filter((brand) => !kept.includes(brand));
    if (dropped.length > 0) {
      const ranged = await tx.binRange.findMany({ where: { acquirerId: before.id, brand: { in: dropped } }, distinct: ['brand'], select: { brand: true } });
      if (ranged.length > 0) {
        const message = `${before.name} still has BIN ranges for ${ranged.map((row) => row.brand).join(', ')}; delete them before removing the brand.`;
        throw new AppError('validation_failed', message, [{ path: 'brands', message }]);
      }
    }
    const changedFields = [
      before.name !== input.name ? 'name' : null,
      before.gatewayUrl !== input.gatewayUrl ? 'gatewayUrl' : null,
      before.registryUrl !== input.registryUrl ? 'registryUrl' : null,
      before.brands.join(',') !== input.brands.join(',') ? 'brands' : null,
      before.status !== input.status ? 'status' : null,
    ].filter((field): field is string => field !== null);
    if (changedFields.length === 0) return { id: before.id, name: before.name, changedFields };
    await tx.acquirer.update({
      where: { id: before.id },
      data: { name: input.name, gatewayUrl: input.gatewayUrl, registryUrl: input.registryUrl, brands: input.brands, status: input.status },
    });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'acquirer.updated',
      targetType: 'Acquirer',
      targetId: before.id,
      data: {
        acquirerCode: before.code,
        fields: changedFields,
        ...(changedFields.includes('status') ? { fromStatus: before.status, toStatus: input.status } : {}),
        ...(changedFields.includes('brands') ? { brands: input.brands } : {}),
      },
      origin: options.origin ?? null,
    });
    return { id: before.id, name: input.name, changedFields };
  });
}
