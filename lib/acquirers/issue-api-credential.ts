import { z } from 'zod';
import { generateApiCredential, credentialLabelSchema } from '@/lib/acquirers/api-credential';
import { recordAuditEvent, type Actor } from '@/lib/audit/record-audit-event';
import { db, type Db } from '@/lib/db/client';
import { AppError } from '@/lib/errors';
import type { RequestOrigin } from '@/lib/http/request-origin';
import { isUuid, parseInput } from '@/lib/validation';

export interface IssuedApiCredential {
  /** The public id the acquirer names in its signed requests. */
  credentialId: string;
  /** In clear, shown once; only its SHA-256 is kept. */
  secret: string;
  /** The row's id. */
  id: string;
}

/**
 * Issues an acquirer admin API credential (the operator only). Several may be active at once (one per
 * system of the acquirer, or during a rotation). Created and audited in one transaction; the audit event
 * names the credential id, never the secret.
 */
export async function issueApiCredential(options: { actor: Actor; acquirerId: string; label: unknown; origin?: RequestOrigin | null; prisma?: Db }): Promise<IssuedApiCredential> {
  if (options.actor.type !== 'OPERATOR' && options.actor.type !== 'SYSTEM') throw new AppError('not_found', 'Acquirer not found.');
  const { label } = parseInput(z.object({ label: credentialLabelSchema }), { label: options.label });
  if (!isUuid(options.acquirerId)) throw new AppError('not_found', 'Acquirer not found.');
  return (options.prisma ?? db()).$transaction(async (tx) => {
    const acquirer = await tx.acquirer.findUnique({ where: { id: options.acquirerId }, select: { id: true, code: true } });
    if (!acquirer) throw new AppError('not_found', 'Acquirer not found.');
    const credential = generateApiCredential();
    const row = await tx.acquirerApiCredential.create({
      data: { acquirerId: acquirer.id, credentialId: credential.credentialId, secretHash: credential.secretHash, label },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actor: options.actor,
      action: 'acquirer.api_credential_issued',
      targetType: 'AcquirerApiCredential',
      targetId: row.id,
      data: { acquirerCode: acquirer.code, credentialId: credential.credentialId, label },
      origin: options.origin ?? null,
    });
    return { credentialId: credential.credentialId, secret: credential.secret, id: row.id };
  });
}
