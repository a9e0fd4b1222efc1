import { createAcquirerSchema } from '@/lib/acquirers/acquirer-schema';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, isUniqueViolation } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { parseInput } from '@/lib/validation';

const codeTaken = (code: string) => new AppError('conflict', `An acquirer with the code ${code} already exists. Choose another code, or edit that acquirer.`, [{ path: 'code', message: `${code} is taken.` }]);

/**
 * Onboards an acquirer: its code, name, payment gateway, merchant registry and brands. It is ACTIVE at once
 * (stores may apply to it); its BIN ranges and API credentials are added on its own page. Only the operator
 * onboards; anyone else is told there is nothing here. A code already used, in any letter case, is a conflict.
 */
export async function createAcquirer(options: { actor: Actor; input: unknown; origin?: RequestOrigin | null }): Promise<{ id: string; code: string; name: string }> {
  if (options.actor.type !== 'OPERATOR') throw new AppError('not_found', 'Acquirer not found.');
  const input = parseInput(createAcquirerSchema, options.input);
  try {
    return await db().$transaction(async (tx) => {
      // Codes are unique as stored; older rows may be in another case, and two codes differing only in case would confuse everyone.
      const existing = await tx.acquirer.findFirst({ where: { code: { equals: input.code, mode: 'insensitive' } }, select: { code: true } });
      if (existing) throw codeTaken(existing.code);
      const acquirer = await tx.acquirer.create({
        data: { code: input.code, name: input.name, gatewayUrl: input.gatewayUrl, registryUrl: input.registryUrl, brands: input.brands },
        select: { id: true, code: true, name: true },
      });
      await recordAuditEvent(tx, {
        actor: options.actor,
        action: 'acquirer.created',
        targetType: 'Acquirer',
        targetId: acquirer.id,
        data: { acquirerCode: acquirer.code, name: input.name, brands: input.brands, gatewayUrl: input.gatewayUrl, registryUrl: input.registryUrl },
        origin: options.origin ?? null,
      });
      return acquirer;
    });
  } catch (error) {
    // Two onboardings of one code at the same moment: the unique index lets one in.
    if (isUniqueViolation(error)) throw codeTaken(input.code);
    throw error;
  }
}
